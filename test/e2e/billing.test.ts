// `costctl ingest` of billing exports, then `costctl billing list/export`, spawned as a user runs them.
// Expected totals are the hand sums in fixtures/*/README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { LITELLM_CATALOG, ROOT, SAMPLES, initializedDb, runCli } from '../helpers/cli.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';

const F = (p: string) => join(ROOT, 'fixtures', p);
const BILLING_FILES = [
  F('focus/focus-1.2-ai.csv'),
  F('focus/focus-overlap.csv'),
  F('anthropic/cost-report.json'),
  F('openai/costs-page.json'),
  F('openai/dashboard-costs.tsv'), // the same OpenAI charges as the dashboard exports them
];
// By hand (READMEs): FOCUS both files 16.873456789012345678 + Anthropic 17.234501 + OpenAI 4.1909.
const HAND_TOTAL = '38.298857789012345678';

const sum = (values: string[]) => values.reduce((s, v) => s.plus(v), new Decimal(0)).toFixed();

describe('costctl billing (e2e)', () => {
  it('ingests billing exports once: overlap and re-ingest add nothing; list totals match the hand sums', () => {
    const db = tempDbPath();
    const first = runCli(['ingest', ...BILLING_FILES, '--json'], { db });
    expect(first.stderr).toBe(`created database ${db} (no price catalog: COSTCTL_NEW_DB_CATALOG=none)\n`);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.files.map((f: any) => [f.format, f.kind, f.rows_loaded, f.rows_duplicate])).toEqual([
      ['focus', 'billing', 7, 0],
      ['focus', 'billing', 1, 3],
      ['anthropic-cost', 'billing', 4, 0],
      ['openai-costs', 'billing', 4, 0],
      ['openai-costs', 'billing', 0, 4],
    ]);

    const list = runCli(['billing', 'list', '--json'], { db });
    expect(list.code).toBe(0);
    const lines = JSON.parse(list.stdout) as { billed_cost: string; provider: string }[];
    expect(lines).toHaveLength(16);
    expect(sum(lines.map((l) => l.billed_cost))).toBe(HAND_TOTAL);

    const again = runCli(['ingest', ...BILLING_FILES, '--json'], { db });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).files.every((f: any) => f.rows_loaded === 0)).toBe(true);
    const after = JSON.parse(runCli(['billing', 'list', '--json'], { db }).stdout);
    expect(after).toEqual(lines);

    // Filters: provider is case-insensitive; since/until bound the charge start.
    const anthropic = JSON.parse(
      runCli(
        ['billing', 'list', '--provider', 'ANTHROPIC', '--since', '2026-03-02', '--until', '2026-03-03', '--json'],
        { db },
      ).stdout,
    );
    expect(anthropic.map((l: any) => [l.provider, l.billed_cost])).toEqual([['anthropic', '10.000000000000000000']]);
    const limited = runCli(['billing', 'list', '--limit', '2'], { db, env: { COLUMNS: '200' } });
    expect(limited.code).toBe(0);
    expect(limited.stdout).toContain(
      'showing 2 of 16 lines (--limit, --json or billing export for more); billed total: $38.30 (16 lines)',
    );
  });

  it('loads the real FOCUS 1.0 sample: 1000 lines whose billed total is the CSV column sum', () => {
    const db = tempDbPath();
    const path = join(SAMPLES, 'focus', 'focus_sample.csv');
    const r = runCli(['ingest', path, '--json'], { db });
    expect(r.code).toBe(0);
    const lines = JSON.parse(runCli(['billing', 'list', '--json'], { db }).stdout) as { billed_cost: string }[];
    expect(lines).toHaveLength(1000);
    // The table shows the first 100 lines but totals all 1000.
    const table = runCli(['billing', 'list'], { db });
    expect(table.stdout).toMatch(/showing 100 of 1,000 lines .*billed total: \$20\.52 \(1,000 lines\)/);
    // Independent: add the BilledCost column of the file itself. It is the 2nd column, and only
    // AvailabilityZone (never holding a comma) precedes it, so a plain split finds it.
    const rows = readFileSync(path, 'utf8').trim().split('\n');
    const col = rows[0]!.split(',').indexOf('"BilledCost"');
    const fromFile = sum(rows.slice(1).map((row) => row.split(',')[col]!));
    expect(col).toBe(1);
    expect(sum(lines.map((l) => l.billed_cost))).toBe(new Decimal(fromFile).toFixed());
    expect(new Decimal(JSON.parse(r.stdout).files[0].total_cost).equals(fromFile)).toBe(true);
  });

  it('exports CSV, JSON and Parquet with the same lines and exact totals; --mask hides billing accounts', () => {
    const db = tempDbPath();
    const dir = tempDir();
    expect(runCli(['ingest', F('focus/focus-1.2-ai.csv')], { db }).code).toBe(0);
    const csv = runCli(['billing', 'export', '--out', join(dir, 'b.csv'), '--mask'], { db });
    expect(csv.code).toBe(0);
    expect(csv.stderr).toContain('wrote 7 billing lines');
    const csvRows = readFileSync(join(dir, 'b.csv'), 'utf8').trim().split('\n');
    const header = csvRows[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['charge_period_start', 'charge_period_end', 'provider']);
    const billedAt = header.indexOf('billed_cost');
    const accountAt = header.indexOf('billing_account');
    expect(csvRows.slice(1).map((r) => r.split(',')[accountAt])).toEqual(
      Array(7).fill(csvRows[1]!.split(',')[accountAt]),
    );
    expect(csvRows[1]!.split(',')[accountAt]).toMatch(/^b-[0-9a-f]{12}$/);
    expect(sum(csvRows.slice(1).map((r) => r.split(',')[billedAt]!))).toBe('16.573456789012345678');

    const json = runCli(['billing', 'export', '--out', join(dir, 'b.json'), '--provider', 'anthropic'], { db });
    expect(json.code).toBe(0);
    const jsonRows = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    expect(jsonRows.map((r: any) => r.billed_cost)).toEqual(['6.000000000000000000', '6.000000000000000000']);
    expect(jsonRows[0].billing_account).toBe('ba-7');

    const parquet = runCli(['billing', 'export', '--out', join(dir, 'b.data'), '--format', 'parquet'], { db });
    expect(parquet.code).toBe(0);
    expect(readFileSync(join(dir, 'b.data')).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('usage reports load as usage rows once; broken files load their good rows and count the rejects', () => {
    const db = tempDbPath();
    const files = [
      F('openai/usage-page.json'),
      F('anthropic/usage-report.json'),
      F('focus/focus-broken.csv'),
      F('openai/costs-broken.jsonl'),
      F('anthropic/cost-broken.json'),
    ];
    const first = runCli(['ingest', ...files, '--json'], { db });
    expect(first.code).toBe(0);
    const summary = (r: { stdout: string }) =>
      JSON.parse(r.stdout).files.map((f: any) => [f.format, f.kind, f.rows_read, f.rows_loaded, f.rows_rejected]);
    // Counts from the fixture READMEs.
    expect(summary(first)).toEqual([
      ['openai-usage', 'usage', 3, 3, 0],
      ['anthropic-usage', 'usage', 3, 3, 0],
      ['focus', 'billing', 8, 2, 6],
      ['openai-costs', 'billing', 6, 2, 4],
      ['anthropic-cost', 'billing', 5, 1, 4],
    ]);
    const lines = JSON.parse(runCli(['billing', 'list', '--json'], { db }).stdout) as { billed_cost: string }[];
    // 3.50 (FOCUS) + 1.5 (OpenAI) + 2.50 (Anthropic), by hand
    expect(sum(lines.map((l) => l.billed_cost))).toBe('7.5');
    const again = runCli(['ingest', F('openai/usage-page.json'), F('anthropic/usage-report.json'), '--json'], { db });
    expect(JSON.parse(again.stdout).files.map((f: any) => f.rows_loaded)).toEqual([0, 0]);
  });

  it('usage report rows carry tier, speed and region; an unknown tier is warned about per file and line', () => {
    const dir = tempDir();
    const openai = join(dir, 'openai-usage.json');
    const result = (r: object) => ({ object: 'organization.usage.completions.result', num_model_requests: 1, ...r });
    const oa = [result({ model: 'gpt-4o', input_tokens: 10, output_tokens: 1, batch: true, service_tier: 'default' })];
    oa.push(result({ model: 'gpt-4o', input_tokens: 10, output_tokens: 1, service_tier: 'turbo' }));
    writeFileSync(openai, JSON.stringify({ object: 'page', data: [{ start_time: 1772323200, results: oa }] }));
    const anthropic = join(dir, 'anthropic-usage.json');
    const an = {
      uncached_input_tokens: 10,
      output_tokens: 1,
      model: 'claude-opus-4-6',
      speed: 'fast',
      inference_geo: 'us',
    };
    writeFileSync(anthropic, JSON.stringify({ data: [{ starting_at: '2026-03-01T00:00:00Z', results: [an] }] }));
    const db = tempDbPath();
    const r = runCli(['ingest', openai, anthropic], { db });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('warning: '))).toEqual([
      `warning: 1 row with unknown service_tier "turbo" (first: ${openai}:2) was priced at the standard tier (known: standard, default, auto, on_demand, batch, flex, priority, scale)`,
    ]);
    const rows = JSON.parse(runCli(['records', 'list', '--json'], { db }).stdout);
    expect(rows.map((x: any) => [x.source, x.service_tier, x.speed, x.region]).sort()).toEqual([
      ['anthropic-usage', null, 'fast', 'us'],
      ['openai-usage', 'batch', null, null],
      ['openai-usage', 'turbo', null, null],
    ]);
  });

  it('a re-issued export restates changed amounts: said on stderr, listed by billing restated, reconciled', () => {
    const db = tempDbPath();
    expect(runCli(['ingest', F('focus/focus-1.2-ai.csv'), F('focus/focus-overlap.csv')], { db }).code).toBe(0);
    const none = runCli(['billing', 'restated'], { db });
    expect([none.code, none.stdout.trim()]).toEqual([
      0,
      'No restated billing lines: no export has changed the amounts of a line already stored.',
    ]);

    const r = runCli(['ingest', F('focus/focus-restated.csv'), '--json'], { db });
    expect(r.code).toBe(0);
    // The --json contract is unchanged: restated lines count as loaded (their new amounts are this file's).
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({
      rows_read: 4,
      rows_loaded: 3,
      rows_duplicate: 1,
      total_cost: '1.725',
    });
    expect(r.stderr).toMatch(
      /focus-restated\.csv: restated 2 stored billing lines with new amounts: billed \$1\.65 → \$1\.58 \(earlier values kept: costctl billing restated\)/,
    );

    const lines = JSON.parse(runCli(['billing', 'list', '--json'], { db }).stdout) as { billed_cost: string }[];
    expect(lines).toHaveLength(9);
    expect(sum(lines.map((l) => l.billed_cost))).toBe('16.948456789012345678'); // fixtures/focus/README.md
    const restated = JSON.parse(runCli(['billing', 'restated', '--json'], { db }).stdout);
    expect(
      restated.map((x: any) => [x.charge_period_start.slice(0, 10), x.billed_cost_before, x.billed_cost_after]),
    ).toEqual([
      ['2026-03-02', '1.350000000000000000', '1.200000000000000000'],
      ['2026-03-03', '0.300000000000000000', '0.375000000000000000'],
    ]);
    const table = runCli(['billing', 'restated', '--since', '2026-03-03'], { db, env: { COLUMNS: '200' } });
    expect(table.stdout).toContain('$0.30');
    expect(table.stdout).toContain('$0.38');
    expect(table.stdout).toContain('1 restatement;');
    // Every file's ledger total still equals the lines it loaded (current and restated since).
    const reconcile = runCli(['reconcile', '--json'], { db });
    expect(JSON.parse(reconcile.stdout).consistency.issues).toEqual([]);
  });

  it('a usage report pulled again restates the bucket that closed since, and says so', () => {
    const db = tempDbPath();
    expect(runCli(['models', 'import', LITELLM_CATALOG], { db }).code).toBe(0);
    expect(runCli(['ingest', F('openai/usage-page.json')], { db }).code).toBe(0);
    const r = runCli(['ingest', F('openai/usage-page-later.json')], { db });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage-page-later.json (openai-usage): 4 read, 2 loaded, 2 duplicate, 0 rejected');
    expect(r.stderr).toContain(
      'usage-page-later.json: restated 1 stored usage row with new figures (report buckets pulled again): 1,100 → 3,400 tokens (earlier rows kept: costctl records restated)',
    );
    const rows = JSON.parse(
      runCli(['records', 'list', '--since', '2026-03-02', '--until', '2026-03-02', '--json'], { db }).stdout,
    );
    expect(rows.map((x: any) => [x.input_tokens, x.output_tokens, x.requests])).toEqual([['3000', '400', '4']]);

    // The history: figures before and after, priced both times (gpt-4o-mini at $0.15 / $0.60 per 1M tokens).
    const restated = JSON.parse(runCli(['records', 'restated', '--json'], { db }).stdout);
    expect(restated).toHaveLength(1);
    expect(restated[0]).toMatchObject({
      timestamp: '2026-03-02T00:00:00Z',
      input_tokens_before: '1000',
      input_tokens_after: '3000',
      output_tokens_before: '100',
      output_tokens_after: '400',
      requests_before: '1',
      requests_after: '4',
      total_cost_before: '0.000210000000000000', // 1000 × 0.00000015 + 100 × 0.0000006
      total_cost_after: '0.000690000000000000',
    });
    expect(restated[0].file_before).toMatch(/usage-page\.json$/);
    expect(restated[0].restated_by).toMatch(/usage-page-later\.json$/);
    const table = runCli(['records', 'restated', '--model', 'gpt-4o-mini-2024-07-18'], { db, env: { COLUMNS: '220' } });
    expect(table.stdout).toMatch(/2026-03-02 .* 1,100 .* 3,400 .* \$0\.000210 .* \$0\.000690/);
    expect(table.stdout).toContain('1 restatement; records list shows the rows in force now');
    const none = runCli(['records', 'restated', '--user', 'nobody'], { db });
    expect(none.stdout.trim()).toBe(
      'No restated usage rows: no usage report pulled again has changed a stored bucket.',
    );
  });

  it('an empty store lists [] in JSON and a hint in text', () => {
    const db = initializedDb();
    const json = runCli(['billing', 'list', '--json'], { db });
    expect([json.code, json.stdout.trim()]).toEqual([0, '[]']);
    expect(runCli(['billing', 'list'], { db }).stdout).toContain('No billing lines');
  });

  const bad: [string, string[], RegExp][] = [
    ['a date that is not a date', ['billing', 'list', '--since', 'last tuesday'], /--since.*last tuesday/],
    [
      'until before since',
      ['billing', 'list', '--since', '2026-03-02', '--until', '2026-03-01'],
      /--until 2026-03-01 must be after --since/,
    ],
    ['a zero limit', ['billing', 'list', '--limit', '0'], /--limit.*0/],
    ['an unknown export format', ['billing', 'export', '--out', 'x.csv', '--format', 'xml'], /--format.*xml/],
    ['a missing --out', ['billing', 'export'], /--out/],
    [
      'an output folder that does not exist',
      ['billing', 'export', '--out', '/nonexistent-dir-h3/x.csv'],
      /--out .*does not exist/,
    ],
    ['an empty provider', ['billing', 'list', '--provider', ' '], /--provider must not be empty/],
    ['a restated listing with a bad date', ['billing', 'restated', '--until', 'soon'], /--until.*soon/],
    [
      'a restated usage listing with an empty user',
      ['records', 'restated', '--user', ' '],
      /--user needs a non-empty value/,
    ],
  ];
  it.each(bad)('refuses %s with exit 2 and one line naming the flag', (_name, args, message) => {
    const r = runCli(args, { db: initializedDb() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
