// `costctl serve token add|list|revoke`: the role tokens a running server accepts besides its own.
// Plain commands on the database (sent to a running server like any other), so a token made while the
// server runs counts from its next request.
import type { Command } from 'commander';
import { handler } from '../cli/handler.js';
import { addJsonFlag, choiceOption } from '../cli/options.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';

const ROLES = ['gateway', 'viewer', 'admin'] as const;

export function registerServeToken(serve: Command): void {
  const token = serve.command('token').description('role tokens: gateway (check, record), viewer (read), admin');

  addJsonFlag(
    token
      .command('add <name>')
      .description('make a token and print it once (only its hash is kept)')
      .addOption(choiceOption('--role <role>', 'what it may do', ROLES).makeOptionMandatory())
      .option('--unmasked', 'a viewer that reads user and account ids as they are (default: pseudonyms)'),
  ).action(
    handler(async (ctx, opts: { role: (typeof ROLES)[number]; unmasked?: boolean; json?: boolean }, name: string) => {
      const { addToken } = await import('../services/serve/tokens.js');
      const made = await ctx.withDb(
        (db) => addToken(db, { name, role: opts.role, unmasked: opts.unmasked === true }, ctx.now()),
        { mutates: true },
      );
      if (opts.json) ctx.out(renderJson({ ...made.info, token: made.token }));
      else {
        ctx.out(made.token);
        ctx.err(
          `token "${name}" (${opts.role}${opts.unmasked ? ', unmasked' : ''}) made; it is shown only now: keep it (Authorization: Bearer TOKEN)`,
        );
      }
    }),
  );

  addJsonFlag(token.command('list').description('the role tokens (never the tokens themselves)')).action(
    handler(async (ctx, opts: { json?: boolean }) => {
      const { listTokens } = await import('../services/serve/tokens.js');
      const tokens = await ctx.withDb((db) => listTokens(db));
      ctx.out(
        opts.json
          ? renderJson(tokens)
          : renderTable(
              [{ header: 'name' }, { header: 'role' }, { header: 'ids' }, { header: 'made' }, { header: 'revoked' }],
              tokens.map((t) => [
                t.name,
                t.role,
                t.role !== 'viewer' || t.unmasked ? 'as they are' : 'pseudonyms',
                t.created_at.toISOString(),
                t.revoked_at?.toISOString() ?? '',
              ]),
            ),
      );
    }),
  );

  token
    .command('revoke <name>')
    .description('stop accepting a token (from the next request of a running server)')
    .action(
      handler(async (ctx, _opts: object, name: string) => {
        const { revokeToken } = await import('../services/serve/tokens.js');
        await ctx.withDb((db) => revokeToken(db, name, ctx.now()), { mutates: true });
        ctx.out(`token "${name}" revoked`);
      }),
    );
}
