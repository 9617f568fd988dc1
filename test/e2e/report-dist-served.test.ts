// `report dist --by service-tier|speed|region` (#15): what each served tier, speed and region cost. Rows of
// mixed tiers, speeds and regions (some missing, some unknown, some unpriced) are ingested from a usage log;
// each grouped line must equal the sum of the stored rows (`records list --json`) with that value, computed
// here; a row without the value is "(none)", unpriced rows are their own line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { dollarModelCli } from '../helpers/cli.js';
import { lcg } from '../helpers/random.js';
import { tempDir } from '../helpers/temp.js';

const NOW = '2026-03-10T12:00:00Z';
const WINDOW = ['--since', '2026-03-01', '--until', '2026-03-08'];

// m-tiers has flex and priority prices of its own; m-dollar has none, so flex/priority rows of it are unpriced
// (a served tier without its rates is never priced at standard), as is fast mode (no fast/ entry).
const TIERED = ['models', 'add', 'm-tiers', '--provider', 'test', '--input-price', '1', '--output-price', '2'];
const TIER_PRICES = ['--flex-input-price', '0.5', '--flex-output-price', '1', '--priority-input-price', '2'];
const PRIORITY_OUT = ['--priority-output-price', '4', '--effective-from', '2020-01-01'];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function usageLog(): string {
  const r = lcg(15);
  const rows = Array.from({ length: 60 }, (_, i) => {
    const row: Record<string, unknown> = {
      request_id: `q${i}`,
      timestamp: `2026-03-0${1 + (i % 7)}T${String(i % 24).padStart(2, '0')}:00:00Z`,
      model: pick(r, ['m-tiers', 'm-tiers', 'm-dollar']),
      input_tokens: 1 + Math.floor(r() * 5000),
      output_tokens: Math.floor(r() * 2000),
      requests: 1 + Math.floor(r() * 3),
    };
    const tier = pick(r, ['standard', 'flex', 'priority', 'default', 'turbo', undefined]);
    const speed = pick(r, ['standard', 'fast', undefined, undefined]);
    const region = pick(r, ['us', 'eu', 'mars', undefined]);
    if (tier) row.service_tier = tier;
    if (speed) row.speed = speed;
    if (region) row.region = region;
    return row;
  });
  const path = join(tempDir('costctl-dist-served-'), 'usage.jsonl');
  writeFileSync(path, `${rows.map((x) => JSON.stringify(x)).join('\n')}\n`);
  return path;
}

interface Line {
  key: string;
  total_cost: string | null;
  requests: string;
  tokens: string;
}

describe('report dist: by served tier, speed and region', () => {
  it('each line is the sum of its rows; missing values are (none), unpriced rows their own line', () => {
    const { run } = dollarModelCli(NOW);
    const add = run(...TIERED, ...TIER_PRICES, ...PRIORITY_OUT);
    expect(add.code, add.stderr).toBe(0);
    const load = run('ingest', usageLog(), '--json');
    expect(load.code, load.stderr).toBe(0);
    const list = run('records', 'list', '--json', '--limit', '1000', ...WINDOW);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as Array<Record<string, string | boolean | null>>;
    expect(rows).toHaveLength(60);

    for (const [dimension, column] of [
      ['service-tier', 'service_tier'],
      ['speed', 'speed'],
      ['region', 'region'],
    ] as const) {
      // The expected lines, from the rows alone.
      const want = new Map<string, { cost: Decimal; requests: bigint; tokens: bigint }>();
      const unpriced = { requests: 0n, tokens: 0n };
      for (const row of rows) {
        const tokens = BigInt(row.input_tokens as string) + BigInt(row.output_tokens as string);
        if (row.unpriced) {
          unpriced.requests += BigInt(row.requests as string);
          unpriced.tokens += tokens;
          continue;
        }
        const key = (row[column] as string | null) ?? '(none)';
        const acc = want.get(key) ?? { cost: new Decimal(0), requests: 0n, tokens: 0n };
        acc.cost = acc.cost.plus(row.total_cost as string);
        acc.requests += BigInt(row.requests as string);
        acc.tokens += tokens;
        want.set(key, acc);
      }
      const r = run('report', 'dist', '--by', dimension, ...WINDOW, '--json');
      expect(r.code, r.stderr).toBe(0);
      const lines = JSON.parse(r.stdout) as Line[];
      const priced = lines.filter((l) => l.key !== '(unpriced)');
      expect(priced.map((l) => l.key).sort(), dimension).toEqual([...want.keys()].sort());
      for (const l of priced) {
        const w = want.get(l.key)!;
        expect([dimension, l.key, new Decimal(l.total_cost!).eq(w.cost)]).toEqual([dimension, l.key, true]);
        expect([l.requests, l.tokens]).toEqual([String(w.requests), String(w.tokens)]);
      }
      // Largest first.
      const costs = priced.map((l) => new Decimal(l.total_cost!));
      for (let i = 1; i < costs.length; i++) expect(costs[i - 1]!.gte(costs[i]!)).toBe(true);
      expect(lines.find((l) => l.key === '(unpriced)')).toMatchObject({
        total_cost: null,
        requests: String(unpriced.requests),
        tokens: String(unpriced.tokens),
      });
    }
    // The data has what the test is about: several tiers priced, rows without a value, unpriced rows.
    const tiers = JSON.parse(run('report', 'dist', '--by', 'service-tier', ...WINDOW, '--json').stdout) as Line[];
    expect(tiers.map((l) => l.key)).toEqual(
      expect.arrayContaining(['flex', 'priority', 'turbo', '(none)', '(unpriced)']),
    );
    const table = run('report', 'dist', '--by', 'region', ...WINDOW);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('(none)');
    expect(run('report', 'dist', '--by', 'tier').code).toBe(2);
  });
});
