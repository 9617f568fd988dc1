// Seeds for the jobs/reconcile/optimize/outbox tests: catalog models and usage rows priced by the same
// SQL pricing ingest uses, billing lines inserted as a billing adapter would.
import type { Db } from '../../../src/db/database.js';
import { buildModelMap, pricedSelectSql } from '../../../src/db/pricing-sql.js';
import { emptyPriceList } from '../../../src/domain/catalog-types.js';
import { Decimal } from '../../../src/domain/money.js';
import { BEGINNING } from '../../../src/services/prices/catalog.js';
import { addModel } from '../../../src/services/prices/catalog-write.js';

export const T0 = new Date('2026-03-01T00:00:00Z');

/** Prices per 1M tokens, as catalogs state them. */
export async function addTokenModel(
  db: Db,
  name: string,
  provider: string,
  prices: {
    input: string;
    output: string;
    cacheRead?: string;
    cacheWrite?: string;
    batchInput?: string;
    batchOutput?: string;
  },
  modelType = 'chat',
): Promise<void> {
  const d = (v?: string) => (v === undefined ? null : new Decimal(v));
  await addModel(
    db,
    { name, provider, modelType, costType: 'ai_api', currency: 'USD', aliases: [] },
    {
      billingUnit: 'token',
      unitSize: new Decimal(1_000_000),
      effectiveFrom: BEGINNING,
      prices: {
        ...emptyPriceList(),
        input: d(prices.input),
        output: d(prices.output),
        cacheRead: d(prices.cacheRead),
        cacheWrite: d(prices.cacheWrite),
        batchInput: d(prices.batchInput),
        batchOutput: d(prices.batchOutput),
      },
    },
    T0,
  );
}

export interface SeedUsage {
  request_id: string;
  ts: string;
  model: string;
  provider?: string | null;
  input_tokens?: number;
  output_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  request_type?: string | null;
  department?: string | null;
  user_id?: string | null;
  session_id?: string | null;
  reported_cost?: string | null;
}

export async function insertUsage(db: Db, rows: SeedUsage[], source = 'test'): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE seed_raw (
    source VARCHAR, request_id VARCHAR, ts TIMESTAMP, model VARCHAR, provider VARCHAR,
    input_tokens BIGINT, output_tokens BIGINT, cache_read_tokens BIGINT, cache_write_tokens BIGINT, cache_write_1h_tokens BIGINT,
    requests BIGINT, duration_seconds DECIMAL(18,6), bytes BIGINT, request_type VARCHAR, department VARCHAR, user_id VARCHAR,
    session_id VARCHAR, reported_cost DECIMAL(38,18))`);
  for (const r of rows) {
    await db.run(
      'INSERT INTO seed_raw VALUES (?, ?, ?::TIMESTAMP, ?, ?, ?, ?, ?, ?, 0, 1, NULL, NULL, ?, ?, ?, ?, ?::DECIMAL(38,18))',
      [
        source,
        r.request_id,
        r.ts,
        r.model,
        r.provider ?? null,
        r.input_tokens ?? 0,
        r.output_tokens ?? 0,
        r.cache_read_tokens ?? 0,
        r.cache_write_tokens ?? 0,
        r.request_type ?? null,
        r.department ?? null,
        r.user_id ?? null,
        r.session_id ?? null,
        r.reported_cost ?? null,
      ],
    );
  }
  // Served as standard: pricing reads speed and region (the served variant).
  await db.run('ALTER TABLE seed_raw ADD COLUMN speed VARCHAR');
  await db.run('ALTER TABLE seed_raw ADD COLUMN region VARCHAR');
  await buildModelMap(db, 'seed_raw', 'seed_map');
  await db.run(`INSERT INTO usage BY NAME (${pricedSelectSql('seed_raw', 'seed_map')})`);
  await db.run('DROP TABLE seed_raw');
}

export interface SeedBilling {
  line_key: string;
  start: string;
  provider: string;
  model?: string | null;
  billed_cost: string;
  quantity?: string | null;
  unit?: string | null;
  charge_category?: string | null;
}

export async function insertBilling(db: Db, rows: SeedBilling[], source = 'test-bill'): Promise<void> {
  for (const r of rows) {
    await db.run(
      `INSERT INTO billing_lines (source, line_key, charge_period_start, provider, model, charge_category, quantity, unit, billed_cost)
       VALUES (?, ?, ?::TIMESTAMP, ?, ?, ?, ?::DECIMAL(38,9), ?, ?::DECIMAL(38,18))`,
      [
        source,
        r.line_key,
        r.start,
        r.provider,
        r.model ?? null,
        r.charge_category ?? 'Usage',
        r.quantity ?? null,
        r.unit ?? null,
        r.billed_cost,
      ],
    );
  }
}
