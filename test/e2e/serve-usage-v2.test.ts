// The usage-log v2 fields over the API (#15): a record posted to a real server with breakdowns, per-call
// units and a served tier, speed or region is stored and priced exactly as `costctl record` with the same
// flags stores and prices it on a second database; check and estimate price them as their CLI twins do. An
// unknown served value is stored as given, priced at standard and warned about; a breakdown larger than its
// total (or negative) is a 400 naming the field, and nothing is stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LITELLM_CATALOG, runCli } from '../helpers/cli.js';
import { startServe, type Served } from '../helpers/serve.js';

const env = { COSTCTL_NOW: '2026-03-10T12:00:00Z' };
const TS = '2026-03-10T09:00:00Z';

type Body = Record<string, string | number>;

/** The CLI flags of a record body (the flags are the usage-log fields in kebab-case; user_id is --user). */
const flagsOf = (b: Body) =>
  Object.entries(b).flatMap(([k, v]) => [k === 'user_id' ? '--user' : `--${k.replaceAll('_', '-')}`, String(v)]);

// One of each: audio, fast mode with a 1-hour write and web searches, a region with its own entry, the
// priority and flex tiers with reasoning, per-image output, and counts sent as digit strings.
const RECORDS: Body[] = (
  [
    {
      request_id: 'audio',
      model: 'gpt-4o-audio-preview',
      input_tokens: 1000,
      audio_input_tokens: 400,
      output_tokens: 300,
      audio_output_tokens: 100,
    },
    {
      request_id: 'fast',
      model: 'claude-opus-4-6',
      speed: 'fast',
      input_tokens: 1000,
      output_tokens: 500,
      cache_write_1h_tokens: '2000',
      web_search_calls: 3,
    },
    {
      request_id: 'us',
      model: 'claude-sonnet-4-6',
      region: 'us',
      input_tokens: 800,
      output_tokens: '500',
      reasoning_tokens: 200,
    },
    {
      request_id: 'priority',
      model: 'gpt-5',
      service_tier: 'priority',
      input_tokens: 1000,
      output_tokens: 1000,
      reasoning_tokens: 600,
    },
    {
      request_id: 'flex',
      model: 'gpt-5',
      service_tier: 'flex',
      input_tokens: 1000,
      output_tokens: 1000,
      reasoning_tokens: 600,
    },
    {
      request_id: 'image',
      model: 'gemini-2.5-flash-image',
      input_tokens: 100,
      image_input_tokens: 60,
      output_tokens: 1400,
      image_output_tokens: 1290,
      images: 1,
      user_id: 'u-1',
    },
  ] as Body[]
).map((b) => ({ ...b, timestamp: TS }));

let served: Served;
// Kept for the whole file (the tests follow each other on the same two databases).
const dir = mkdtempSync(join(tmpdir(), 'costctl-serve-v2-'));
const direct = join(dir, 'direct.duckdb');
const viaApi = join(dir, 'served.duckdb');

function importCatalog(db: string) {
  const r = runCli(['models', 'import', LITELLM_CATALOG], { db, env });
  expect(r.code, r.stderr).toBe(0);
}

const listed = (db: string) => {
  const r = runCli(['records', 'list', '--json', '--limit', '100'], { db, env });
  expect(r.code, r.stderr).toBe(0);
  return new Map<string, Record<string, unknown>>(
    (JSON.parse(r.stdout) as Record<string, unknown>[]).map((row) => [String(row.request_id), row]),
  );
};

beforeAll(async () => {
  importCatalog(direct);
  importCatalog(viaApi);
  served = await startServe(viaApi, env);
}, 120_000);
afterAll(async () => {
  served?.child.kill('SIGTERM');
  await served?.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe('serve: usage-log v2 fields', () => {
  it('a posted record is stored and priced as `costctl record` with the same flags', async () => {
    const one = await served.api('POST', '/api/v1/cost/records', RECORDS[0]);
    expect(one.status, JSON.stringify(one.body)).toBe(201);
    expect(one.body.warnings).toEqual([]);
    const many = await served.api('POST', '/api/v1/cost/records', RECORDS.slice(1));
    expect(many.status, JSON.stringify(many.body)).toBe(201);
    expect(many.body.stored).toBe(RECORDS.length - 1);
    for (const b of RECORDS) {
      const r = runCli(['record', ...flagsOf(b), '--json'], { db: direct, env });
      expect(r.code, r.stderr).toBe(0);
    }
    const mine = listed(viaApi);
    const theirs = listed(direct);
    for (const b of RECORDS) {
      const row = mine.get(String(b.request_id));
      // Every stored column, costs and rules included, is the CLI's.
      expect(row, String(b.request_id)).toEqual(theirs.get(String(b.request_id)));
      expect([b.request_id, row!.unpriced, row!.unpriced_parts]).toEqual([b.request_id, false, null]);
      for (const [k, v] of Object.entries(b)) if (k !== 'timestamp') expect(String(row![k]), k).toBe(String(v));
    }
    // The fields reach the price (not only the columns): the variants and tiers name their rule.
    expect(mine.get('fast')!.price_rules).toContain('fast mode: fast/claude-opus-4-6 prices');
    expect(mine.get('us')!.price_rules).toContain('region us: us/claude-sonnet-4-6 prices');
    expect(mine.get('priority')!.price_rules).toContain('service tier priority');
    expect(mine.get('priority')!.total_cost).not.toBe(mine.get('flex')!.total_cost);
  }, 120_000);

  it('an unknown tier, speed or region: stored as given, priced at standard, a warning naming the field', async () => {
    const odd = { model: 'claude-sonnet-4-5', input_tokens: 1000, output_tokens: 100, timestamp: TS };
    const r = await served.api('POST', '/api/v1/cost/records', [
      { ...odd, request_id: 'odd', service_tier: 'turbo-x', speed: 'ludicrous', region: 'mars' },
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const warnings = r.body.results[0].warnings as Array<{ field: string; value: string; message: string }>;
    expect(warnings.map((w) => [w.field, w.value])).toEqual([
      ['records[0].service_tier', 'turbo-x'],
      ['records[0].speed', 'ludicrous'],
      ['records[0].region', 'mars'],
    ]);
    expect(warnings[1]!.message).toMatch(/priced at standard speed \(known: standard, fast\)/);
    // The same request with no served fields, recorded by the CLI: the standard price.
    const plain = runCli(['record', ...flagsOf({ ...odd, request_id: 'plain' }), '--json'], { db: direct, env });
    expect(plain.code, plain.stderr).toBe(0);
    const row = listed(viaApi).get('odd')!;
    expect([row.service_tier, row.speed, row.region]).toEqual(['turbo-x', 'ludicrous', 'mars']);
    expect(row.total_cost).toBe(listed(direct).get('plain')!.total_cost);
    expect(row.total_cost).not.toBeNull();
  }, 120_000);

  it('estimate and check price the fields as their CLI twins', async () => {
    const body = {
      model: 'claude-opus-4-6',
      speed: 'fast',
      input_tokens: 1000,
      cache_write_1h_tokens: 2000,
      web_search_calls: 2,
    };
    const flags = flagsOf(body);
    const e = await served.api('POST', '/api/v1/cost/estimate', { ...body, output_tokens: 500, reasoning_tokens: 100 });
    expect(e.status, JSON.stringify(e.body)).toBe(200);
    const cliEstimate = runCli(
      ['estimate', ...flags, '--output-tokens', '500', '--reasoning-tokens', '100', '--json'],
      {
        db: direct,
        env,
      },
    );
    expect(cliEstimate.code, cliEstimate.stderr).toBe(0);
    const { warnings, ...estimate } = e.body;
    expect(warnings).toEqual([]);
    expect(estimate).toEqual(JSON.parse(cliEstimate.stdout));

    const c = await served.api('POST', '/api/v1/cost/check', { ...body, user: 'u-9', max_output_tokens: 500 });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    const cliCheck = runCli(['check', '--user', 'u-9', ...flags, '--max-output-tokens', '500', '--json'], {
      db: direct,
      env,
    });
    expect(cliCheck.code, cliCheck.stderr).toBe(0);
    const expected = JSON.parse(cliCheck.stdout);
    expect(c.body).toMatchObject({
      model: expected.model,
      estimated_cost: expected.estimated_cost,
      price_rules: expected.price_rules,
    });
    // An unknown region is said in the check's warnings and the estimate's.
    const oddCheck = await served.api('POST', '/api/v1/cost/check', { ...body, user: 'u-9', region: 'mars' });
    expect(oddCheck.body.warnings.join('\n')).toMatch(/region "mars" is not a value costctl knows/);
    const oddEstimate = await served.api('POST', '/api/v1/cost/estimate', { ...body, region: 'mars' });
    expect(oddEstimate.body.warnings.map((w: { field: string }) => w.field)).toEqual(['region']);
  }, 120_000);

  it('a breakdown over its total or negative: 400 naming the field, nothing stored', async () => {
    const before = listed(viaApi).size;
    const post = (path: string, body: unknown) => served.api('POST', `/api/v1/cost/${path}`, body);
    const good = { request_id: 'never', model: 'gpt-5', input_tokens: 10, timestamp: TS };
    const cases: Array<[string, Promise<{ status: number; body: { field?: string; message: string } }>, string]> = [
      [
        'reasoning over output',
        post('records', { ...good, output_tokens: 5, reasoning_tokens: 6 }),
        'reasoning_tokens',
      ],
      [
        'audio + image input over input, in a batch',
        post('records', [good, { ...good, request_id: 'never-2', audio_input_tokens: 6, image_input_tokens: '5' }]),
        'records[1].audio_input_tokens',
      ],
      [
        'output parts together over output',
        post('records', { ...good, output_tokens: 10, audio_output_tokens: 6, image_output_tokens: 5 }),
        'audio_output_tokens',
      ],
      ['negative', post('records', { ...good, images: -1 }), 'images'],
      ['negative digits', post('records', [good, { ...good, web_search_calls: '-2' }]), 'records[1].web_search_calls'],
      ['a tier that is not text', post('records', { ...good, service_tier: 3 }), 'service_tier'],
      [
        'check: reasoning over the worst-case output',
        post('check', { user: 'u-1', model: 'gpt-5', max_output_tokens: 5, reasoning_tokens: 6 }),
        'reasoning_tokens',
      ],
      [
        'estimate: image output over output',
        post('estimate', { model: 'gpt-5', output_tokens: 1, image_output_tokens: 2 }),
        'image_output_tokens',
      ],
    ];
    for (const [what, answer, field] of cases) {
      const r = await answer;
      expect([what, r.status, r.body.field], JSON.stringify(r.body)).toEqual([what, 400, field]);
      expect(r.body.message, what).toContain(field);
    }
    const over = await post('records', { ...good, output_tokens: 5, reasoning_tokens: 6 });
    expect(over.body.message).toBe(
      // As ingest words the reject of such a line.
      'reasoning_tokens + audio_output_tokens + image_output_tokens (6) must not exceed output_tokens (5): a breakdown is part of its total',
    );
    const rows = listed(viaApi);
    expect(rows.size).toBe(before);
    expect(rows.has('never')).toBe(false);
  }, 120_000);
});
