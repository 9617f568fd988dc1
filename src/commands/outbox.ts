// `costctl outbox …`: the emails costctl has queued, and sending the waiting ones now.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DataError, SilentExit } from '../errors.js';
import { addJsonFlag, choiceOption } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';

const STATUSES = ['queued', 'sending', 'sent', 'unconfirmed'] as const;

const refusals = (refused: { address: string; reply: string }[]) =>
  refused.map((r) => `${r.address} (${r.reply})`).join('; ');

function messageId(value: string, previous: number[] = []): number[] {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`must be a message id such as 12 (got "${value}")`);
  return [...previous, Number(value)];
}

export function registerOutbox(program: Command): void {
  const outbox = program.command('outbox').description('queued and sent emails');

  addJsonFlag(
    outbox
      .command('list')
      .description('messages, oldest first')
      .addOption(choiceOption('--status <status>', 'only this status', STATUSES)),
  ).action(
    handler(async (ctx, opts: { json?: boolean; status?: (typeof STATUSES)[number] }) => {
      const { listOutbox } = await import('../notify/outbox.js');
      const entries = await ctx.withDb((db) => listOutbox(db, { status: opts.status }));
      if (opts.json) return ctx.out(renderJson(entries));
      ctx.out(
        entries.length
          ? renderTable(
              [
                { header: 'id', align: 'right' },
                { header: 'status' },
                { header: 'to' },
                { header: 'subject' },
                { header: 'tries', align: 'right' },
                { header: 'sent / next try' },
                { header: 'last error' },
                { header: 'refused' },
              ],
              entries.map((e) => [
                e.id,
                e.status,
                e.recipients.join(', '),
                e.subject,
                e.attempts,
                e.sent_at ?? e.next_attempt_at,
                e.last_error ?? '',
                refusals(e.refused),
              ]),
            )
          : 'The outbox is empty.',
      );
    }),
  );

  addJsonFlag(
    outbox
      .command('retry')
      .description(
        'send queued messages now, ignoring the backoff (all, or the given ids; an unconfirmed one only by its id)',
      )
      .argument('[ids...]', 'message ids', (v: string, p: number[]) => messageId(v, p)),
  ).action(
    handler(async (ctx, opts: { json?: boolean }, ids: number[] | undefined) => {
      const { checkDelivery } = await import('../../jobs/runner.js');
      const { deliverOutbox } = await import('../notify/deliver.js');
      const delivery = checkDelivery(ctx);
      if (ids?.length) {
        // Name the ids that cannot be sent, rather than "Nothing to send." for a typo or a sent message.
        const { listOutbox } = await import('../notify/outbox.js');
        const found = await ctx.withDb((db) => listOutbox(db, { ids }));
        const missing = ids.filter((id) => !found.some((e) => e.id === id));
        if (missing.length)
          throw new DataError(
            `outbox message${missing.length === 1 ? '' : 's'} ${missing.map((id) => `#${id}`).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (see \`costctl outbox list\`)`,
          );
        const done = found.filter((e) => e.status === 'sent');
        if (done.length === ids.length)
          throw new DataError(`${done.map((e) => `#${e.id}`).join(', ')} already sent: nothing to retry`);
      }
      const report = await deliverOutbox(ctx.withDb, delivery, ctx.now, {
        force: true,
        ids: ids?.length ? ids : undefined,
      });
      if (opts.json) ctx.out(renderJson(report));
      else {
        for (const s of report.sent) {
          ctx.out(`sent #${s.id} to ${s.to.join(', ')} via ${s.delivered_to}: ${s.subject}`);
          if (s.refused.length) ctx.out(`  refused by the server: ${refusals(s.refused)}`);
        }
        for (const f of report.failed) ctx.out(`still queued #${f.id} (${f.error}); next try ${f.next_attempt_at}`);
        for (const u of report.unconfirmed) ctx.out(`unconfirmed #${u.id}: ${u.error}`);
        if (!report.sent.length && !report.failed.length && !report.unconfirmed.length) ctx.out('Nothing to send.');
      }
      if (report.failed.length || report.unconfirmed.length) throw new SilentExit(1);
    }),
  );
}
