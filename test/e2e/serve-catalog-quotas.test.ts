// The catalog and quota writes of the API on a real server: each round-trips with the CLI's --json on the
// same database (the CLI's commands are sent to the server while it runs); a bad body is a 400 naming the
// field and stores nothing; a viewer's write is a 403; every write is audited with the token; a
// price change reaches the next estimate and record (the kept catalog is dropped), and a quota change is
// announced on the live stream.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { seedDollarModel, startServe } from '../helpers/serve.js';
import { tempDbPath } from '../helpers/temp.js';

const env = { COSTCTL_NOW: '2026-03-02T12:00:00Z' };
const MODELS = '/api/v1/cost/models';
/** An amount without its trailing zeros: the API writes each at its own scale ("3.000000"). */
const dollars = (amount: string) => new Decimal(amount).toString();
const QUOTAS = '/api/v1/cost/quotas';

const cliJson = async (db: string, args: string[]) => {
  const r = await runCliAsync([...args, '--json'], { db, env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('serve: models and quotas through the API', () => {
  it('create, update, reset, remove: the CLI sees each; bad bodies and viewers store nothing', async () => {
    const db = tempDbPath();
    seedDollarModel(db, env);
    const token = runCli(['serve', 'token', 'add', 'screen', '--role', 'viewer'], { db, env });
    expect(token.code, token.stderr).toBe(0);
    const viewer = token.stdout.trim();
    const s = await startServe(db, env);
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      // A stream listener sees the quota change announced.
      const stream = await fetch(`${s.url}/api/v1/cost/stream`, { headers: { authorization: `Bearer ${s.token}` } });
      reader = stream.body!.getReader();
      const dashboardEvent = (async () => {
        let text = '';
        while (!/event: dashboard\ndata: .*quotas.*\n\n/.test(text)) {
          const chunk = await reader!.read();
          // A closed stream would otherwise spin here without yielding to the test's timers.
          if (chunk.done) throw new Error(`the stream ended before a quotas event: ${text}`);
          text += new TextDecoder().decode(chunk.value);
        }
        return /event: dashboard\ndata: (.*quotas.*)\n/.exec(text)?.[1] ?? '';
      })();

      // Models: add, and `models list --json` shows the same entry.
      const added = await s.api('POST', MODELS, {
        name: 'm-api',
        provider: 'test',
        input_price: '3',
        output_price: '4',
        aliases: ['m-api-alias'],
      });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      const listed = (await cliJson(db, ['models', 'list'])).find((m: { name: string }) => m.name === 'm-api');
      expect(listed).toEqual(added.body);
      expect((await s.api('GET', MODELS)).body).toEqual(await cliJson(db, ['models', 'list']));
      // Priced at once: $3 per 1K input tokens.
      const estimate = await s.api('POST', '/api/v1/cost/estimate', { model: 'm-api-alias', input_tokens: 1000 });
      expect(dollars(estimate.body.total_cost), JSON.stringify(estimate.body)).toBe('3');

      // A new price version: the estimate and a record the next moment use it (the kept catalog is dropped).
      const updated = await s.api('PATCH', `${MODELS}/m-api`, {
        input_price: '5',
        effective_from: '2026-03-01T00:00:00Z',
      });
      expect(updated.status, JSON.stringify(updated.body)).toBe(200);
      expect(updated.body.current.input_price).toBe('5');
      expect(updated.body.current.output_price).toBe('4');
      const shown = await cliJson(db, ['models', 'show', 'm-api']);
      expect(shown.versions.map((v: { input_price: string }) => v.input_price)).toEqual(['3', '5']);
      expect(
        dollars((await s.api('POST', '/api/v1/cost/estimate', { model: 'm-api', input_tokens: 1000 })).body.total_cost),
      ).toBe('5');
      const rec = await s.api('POST', '/api/v1/cost/records', {
        request_id: 'r1',
        // Before the reset below (a row at the reset's own instant is in the new window).
        timestamp: '2026-03-02T11:00:00Z',
        model: 'm-api',
        user_id: 'u1',
        input_tokens: 1000,
      });
      expect(rec.status).toBe(201);
      expect(dollars(rec.body.total_cost)).toBe('5');

      // Bad bodies: 400 naming the field, nothing stored.
      const before = await cliJson(db, ['models', 'list']);
      const bad = async (method: string, path: string, body: unknown, field: string | undefined, status = 400) => {
        const r = await s.api(method, path, body);
        expect(r.status, JSON.stringify(r.body)).toBe(status);
        expect(r.body.field).toBe(field);
      };
      await bad('POST', MODELS, { name: 'x', provider: 'p', input_price: 1, output_price: '1' }, 'input_price');
      await bad('POST', MODELS, { name: 'x', input_price: '1', output_price: '1' }, 'provider');
      await bad(
        'POST',
        MODELS,
        { name: 'x', provider: 'p', input_price: '1', output_price: '1', colour: 'red' },
        'colour',
      );
      await bad('POST', MODELS, { name: 'x', provider: 'p', input_price: '1' }, 'output_price');
      await bad(
        'POST',
        MODELS,
        { name: 'x', provider: 'p', input_price: '1', output_price: '1', currency: 'usd' },
        'currency',
      );
      await bad('POST', MODELS, { name: 'm-api', provider: 'p', input_price: '1', output_price: '1' }, undefined);
      await bad('PATCH', `${MODELS}/m-api`, { input_price: '-1' }, 'input_price');
      const unknown = await s.api('PATCH', `${MODELS}/no-such-model`, { input_price: '1' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toMatch(/"no-such-model" is not in the price catalog/);
      // (The body limit is the app's, one for every route: serve-bad-requests sends the 10 MB body.)
      const asViewer = await s.api(
        'POST',
        MODELS,
        { name: 'v', provider: 'p', input_price: '1', output_price: '1' },
        { token: viewer },
      );
      expect(asViewer.status).toBe(403);
      expect(await cliJson(db, ['models', 'list'])).toEqual(before);

      // Quotas: add, update, reset, as `quotas list --json` shows them.
      const q = await s.api('POST', QUOTAS, {
        name: 'team',
        scope: 'user:u1',
        period: 'monthly',
        limit: '12.5',
        notify: ['ops@example.com'],
      });
      expect(q.status, JSON.stringify(q.body)).toBe(201);
      expect(JSON.parse(await dashboardEvent)).toEqual({ changed: 'quotas' });
      expect(await cliJson(db, ['quotas', 'list'])).toEqual([q.body]);
      // The check sees the new quota at once: $5 of $12.5 used.
      const check = await s.api('POST', '/api/v1/cost/check', { user: 'u1', model: 'm-dollar', input_tokens: 1 });
      expect(check.body.quotas.map((x: { name: string; used: string }) => [x.name, x.used])).toEqual([['team', '5']]);
      const changed = await s.api('PATCH', `${QUOTAS}/team`, { limit: '20', daily_limit: '2' });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(await cliJson(db, ['quotas', 'list'])).toEqual([changed.body]);
      await bad('POST', QUOTAS, { name: 'q2', scope: 'user:u1', period: 'monthly' }, 'limit');
      await bad('POST', QUOTAS, { name: 'q2', scope: 'user:u1', period: 'monthly', limit: 5 }, 'limit');
      await bad('POST', QUOTAS, { name: 'q2', scope: 'user:u1', period: 'fortnightly', limit: '5' }, 'period');
      await bad('POST', QUOTAS, { name: 'q2', scope: 'planet:x', period: 'monthly', limit: '5' }, 'scope');
      await bad('PATCH', `${QUOTAS}/team`, { daily_limit: '50' }, 'daily_limit');
      expect((await s.api('PATCH', `${QUOTAS}/nope`, { limit: '1' })).status).toBe(404);
      expect(
        (await s.api('POST', QUOTAS, { name: 'v', scope: 'global', period: 'daily', limit: '1' }, { token: viewer }))
          .status,
      ).toBe(403);
      expect(await cliJson(db, ['quotas', 'list'])).toEqual([changed.body]);

      const reset = await s.api('POST', `${QUOTAS}/team/reset`, { note: 'new budget' });
      expect(reset.status).toBe(200);
      expect(reset.body).toEqual({ name: 'team', reset_at: '2026-03-02T12:00:00.000Z' });
      const status = await cliJson(db, ['quotas', 'status']);
      expect(status[0].used).toBe('0');

      // Remove both; the CLI sees them gone.
      expect((await s.api('DELETE', `${QUOTAS}/team`)).status).toBe(200);
      expect(await cliJson(db, ['quotas', 'list'])).toEqual([]);
      const refused = await s.api('DELETE', `${MODELS}/m-api`);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/prices 1 usage row/);
      expect((await s.api('DELETE', `${MODELS}/m-api?force=true`)).status).toBe(200);
      expect((await cliJson(db, ['models', 'list'])).map((m: { name: string }) => m.name)).toEqual(['m-dollar']);

      // Every write names its token in the audit trail, under the CLI's command name.
      const audit = await cliJson(db, ['audit', 'list']);
      const api = audit
        .filter((a: { actor: string }) => a.actor === 'serve:admin')
        .map((a: { command: string }) => a.command);
      expect(api.sort()).toEqual(
        [
          'models add',
          'models update',
          'models remove',
          'quotas add',
          'quotas update',
          'quotas reset',
          'quotas remove',
          'serve records',
        ].sort(),
      );
    } finally {
      // An open stream would keep the server from stopping.
      await reader?.cancel();
      s.child.kill('SIGTERM');
      await s.exited;
    }
  }, 240_000);
});
