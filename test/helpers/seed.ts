// Test data straight into the tables (the ingest paths are tested on their own): usage rows with their
// cost given, usage rows priced by the catalog exactly as ingest prices them, and billing lines.
import type { Db } from '../../src/db/database.js';
import { buildModelMap, pricedSelectSql } from '../../src/db/pricing-sql.js';

export interface UsageRowInput {
  ts: string; // UTC 'YYYY-MM-DD HH:MM:SS', or ISO with an offset
  cost: string | null; // null = unpriced
  model?: string;
  user?: string | null;
  department?: string | null;
  organization?: string | null;
  project?: string | null;
  provider?: string | null;
  account?: string | null;
  session?: string | null;
  sop?: string | null;
  requestType?: string | null;
  costType?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  requests?: number;
  id?: string;
}

let seq = 0;

/** Rows with their cost given (the test knows every total by hand); pricing is not involved. */
export async function insertUsage(db: Db, rows: UsageRowInput[], source = 'test'): Promise<void> {
  const chunk = 500;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values = part
      .map(() => '(?, ?, ?::TIMESTAMPTZ::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::DECIMAL(38,18))')
      .join(', ');
    const params = part.flatMap((r) => [
      source,
      r.id ?? `r${++seq}`,
      r.ts,
      r.model ?? 'gpt-test',
      r.provider ?? 'openai',
      r.input ?? 100,
      r.output ?? 50,
      r.cacheRead ?? 0,
      r.requests ?? 1,
      r.costType ?? 'ai_api',
      r.user === undefined ? 'alice' : r.user,
      r.department ?? null,
      r.organization ?? null,
      r.project ?? null,
      r.account ?? null,
      r.session ?? null,
      r.sop ?? null,
      r.requestType ?? null,
      r.cost === null,
      r.cost,
    ]);
    await db.run(
      `INSERT INTO usage (source, request_id, ts, model, provider, input_tokens, output_tokens, cache_read_tokens, requests, cost_type,
         user_id, department, organization, project, account_id, session_id, sop_instance_id, request_type, unpriced, total_cost)
       VALUES ${values}`,
      params,
    );
  }
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

/**
 * The usage-log v2 columns pricing reads beyond speed and region (service tier, breakdowns, per-call units),
 * added to a hand-made table at their defaults: served as standard, text only.
 */
export async function addUsageV2Columns(db: Db, table: string): Promise<void> {
  await db.run(`ALTER TABLE ${table} ADD COLUMN service_tier VARCHAR`);
  const v2 = ['reasoning', 'audio_input', 'image_input', 'audio_output', 'image_output'].map((c) => `${c}_tokens`);
  for (const c of [...v2, 'images', 'web_search_calls'])
    await db.run(`ALTER TABLE ${table} ADD COLUMN ${c} BIGINT DEFAULT 0`);
}

/** Rows priced by the same SQL ingest uses, with the catalog in the database. */
export async function insertPricedUsage(db: Db, rows: SeedUsage[], source = 'test'): Promise<void> {
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
  await db.run('ALTER TABLE seed_raw ADD COLUMN speed VARCHAR');
  await db.run('ALTER TABLE seed_raw ADD COLUMN region VARCHAR');
  await addUsageV2Columns(db, 'seed_raw');
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
