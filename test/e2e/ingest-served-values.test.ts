// Ingest and the usage log's served variant (#15): an unknown service_tier, speed or region value is stored as
// written, priced at standard, and named in one warning per file, field and value (rows, first line) on
// stderr and in --json; a negative breakdown or one larger than its total rejects its row with the line
// and the reason, in JSONL and CSV alike. m-dollar: $1 per 1K input tokens, $2 per 1K output (no tier rates).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dollarModelCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const NOW = '2026-03-10T12:00:00Z';
const row = (id: string, extra: Record<string, unknown> = {}) => ({
  request_id: id,
  timestamp: '2026-03-02T09:00:00Z',
  model: 'm-dollar',
  input_tokens: 1000,
  output_tokens: 500,
  ...extra,
});

// Lines 1–8. Every good row costs 1000 × $0.001 + 500 × $0.002 = $1 + $1 = $2 at standard prices.
const ROWS = [
  row('t1', { service_tier: 'turbo' }),
  row('t2', { service_tier: 'Default', speed: 'FAST ', region: 'us' }), // known, any case and spacing
  row('t3', { service_tier: 'turbo', speed: 'warp' }),
  row('t4', { region: 'us-east-1' }),
  row('t5', { service_tier: 'scale', region: 'eu' }), // known: priced at standard, no warning
  row('b1', { output_tokens: 100, reasoning_tokens: 200 }),
  row('b2', { input_tokens: 100, audio_input_tokens: 60, image_input_tokens: 50 }),
  row('b3', { images: -1 }),
];

const FIELDS = ['request_id', 'timestamp', 'model', 'input_tokens', 'output_tokens', 'reasoning_tokens'];
const CSV_FIELDS = [...FIELDS, 'audio_input_tokens', 'image_input_tokens', 'images', 'service_tier', 'speed', 'region'];

function files() {
  const dir = tempDir('costctl-served-values-');
  const jsonl = join(dir, 'usage.jsonl');
  writeFileSync(jsonl, `${ROWS.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const csv = join(dir, 'usage.csv');
  const cell = (v: unknown) => (v === undefined ? '' : String(v));
  writeFileSync(
    csv,
    `${CSV_FIELDS.join(',')}\n${ROWS.map((r) => CSV_FIELDS.map((f) => cell((r as Record<string, unknown>)[f])).join(',')).join('\n')}\n`,
  );
  return { jsonl, csv };
}

describe('ingest: unknown served values and bad breakdowns', () => {
  for (const format of ['jsonl', 'csv'] as const) {
    it(`${format}: warnings name the field, the value, the rows and the first line; rejects name line and reason`, () => {
      const { run } = dollarModelCli(NOW);
      const path = files()[format];
      // CSV lines count the header: the first row is line 2.
      const at = (n: number) => (format === 'csv' ? n + 1 : n);
      const r = run('ingest', path, '--json');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      // t1..t5 loaded at standard prices: 5 × $2 = $10. t2 is fast in region us, but m-dollar has no fast/
      // entry: fast mode without its own prices is unpriced, so 4 × $2 = $8 and one unpriced row.
      expect(out.files[0]).toMatchObject({ rows_read: 8, rows_loaded: 5, rows_rejected: 3, total_cost: '8' });
      expect(out.warnings.map((w: any) => [w.field, w.value, w.rows, w.line])).toEqual([
        ['service_tier', 'turbo', 2, at(1)],
        ['speed', 'warp', 1, at(3)],
        ['region', 'us-east-1', 1, at(4)],
      ]);
      expect(out.warnings[0].message).toBe(
        `2 rows with unknown service_tier "turbo" (first: ${path}:${at(1)}) were priced at the standard tier (known: standard, default, auto, on_demand, batch, flex, priority, scale)`,
      );
      const lines = r.stderr.split('\n');
      expect(lines).toContain(`warning: ${out.warnings[1].message}`);
      expect(out.warnings[1].message).toBe(
        `1 row with unknown speed "warp" (first: ${path}:${at(3)}) was priced at standard speed (known: standard, fast)`,
      );
      expect(lines).toContain(
        // The reason names the parts the file has: neither file has audio or image output tokens (the CSV has
        // no such column, no JSONL line has such a key).
        `${path}:${at(6)}: reasoning_tokens (200) must not exceed output_tokens (100): a breakdown is part of its total`,
      );
      expect(lines).toContain(
        `${path}:${at(7)}: audio_input_tokens + image_input_tokens (110) must not exceed input_tokens (100): a breakdown is part of its total`,
      );
      expect(lines).toContain(`${path}:${at(8)}: images "-1" must be a whole number from 0 to 1000000000000000`);
      // Stored as written, each priced at standard ($2) but the fast one.
      const rows = JSON.parse(run('records', 'list', '--json', '--limit', '10').stdout);
      const byId = new Map(rows.map((x: any) => [x.request_id, x]));
      expect(byId.get('t1')).toMatchObject({ service_tier: 'turbo', total_cost: '2.000000000000000000' });
      expect(byId.get('t3')).toMatchObject({ speed: 'warp', total_cost: '2.000000000000000000' });
      expect(byId.get('t4')).toMatchObject({ region: 'us-east-1', total_cost: '2.000000000000000000' });
      expect(byId.get('t5')).toMatchObject({ service_tier: 'scale', total_cost: '2.000000000000000000' });
      expect(byId.get('t2')).toMatchObject({ speed: 'FAST', unpriced: true });
    });
  }

  it('the human summary prints one warning line per value; a clean file prints none', () => {
    const { run } = dollarModelCli(NOW);
    const r = run('ingest', files().jsonl);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('warning: '))).toHaveLength(3);
    const dir = tempDir('costctl-served-clean-');
    const clean = join(dir, 'clean.jsonl');
    writeFileSync(clean, `${JSON.stringify(row('c1', { service_tier: 'priority', region: 'global' }))}\n`);
    const c = run('ingest', clean, '--json');
    expect(JSON.parse(c.stdout).warnings).toEqual([]);
    expect(c.stderr).not.toContain('warning:');
  });
});
