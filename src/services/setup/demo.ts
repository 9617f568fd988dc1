// `costctl demo`: a fresh database built from fixtures/demo (three weeks of an AI sales assistant's LLM
// traffic and the provider bill of the same period), then a short summary. Built as a list of steps so
// later features (quotas, jobs, reconcile, …) add their own step to DEMO_STEPS.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '../../db/duckdb.js';
import { packageRoot } from '../../config/paths.js';
import type { Db } from '../../db/database.js';
import { sqlTimestamp } from '../../domain/time.js';
import { adapterFor } from '../../ingest/index.js';
import { importBundledCatalog } from './init.js';
import { collectInputs } from '../ingest/inputs.js';
import { ingestFiles, planIngest } from '../ingest/pipeline.js';
import { controlsDemoStep } from './demo-controls.js';
import type { DemoStep, DemoStepContext } from './demo-step.js';

export type { DemoStep, DemoStepContext } from './demo-step.js';

/** The demo data ends 2026-03-01; the demo's clock is pinned shortly after, for reproducible summaries. */
export const DEMO_NOW = '2026-03-02T09:00:00Z';

const catalogStep: DemoStep = {
  name: 'catalog',
  run: async ({ db, now }) => {
    const report = await importBundledCatalog(db, now);
    return `price catalog: ${report.added.length} models imported (LiteLLM, bundled)`;
  },
};

const usageStep: DemoStep = {
  name: 'usage',
  run: async ({ db, now, fixtures }) => {
    const report = await ingestFiles(db, planIngest(collectInputs([join(fixtures, 'usage')])), { now });
    const rows = report.files.reduce((n, f) => n + f.rows_loaded, 0);
    return `usage: ${rows} requests from ${report.files.length} files`;
  },
};

const billingStep: DemoStep = {
  name: 'billing',
  run: async ({ db, now, fixtures, note }) => {
    if (!adapterFor('focus')) {
      note('demo: the FOCUS billing adapter is not available in this build; skipping the billing export');
      return 'billing: skipped';
    }
    const report = await ingestFiles(db, planIngest(collectInputs([join(fixtures, 'billing')]), 'focus'), { now });
    const lines = report.files.reduce((n, f) => n + f.rows_loaded, 0);
    return `billing: ${lines} FOCUS 1.2 lines`;
  },
};

/**
 * The data steps. The demo command appends the scheduled jobs' run (jobs/demo-run.ts), which sits above
 * the services; later capabilities add their own steps here.
 */
export const DEMO_STEPS: DemoStep[] = [catalogStep, usageStep, billingStep, controlsDemoStep];

/** The first and last local day of the demo's usage, the period its reconcile job covers. */
export async function demoPeriod(db: Db, tz: string): Promise<{ since: string; until: string } | undefined> {
  const r = await db.one<{ first: string | null; last: string | null }>(
    `SELECT strftime(timezone(?, min(ts)::TIMESTAMPTZ), '%Y-%m-%d') AS first, strftime(timezone(?, max(ts)::TIMESTAMPTZ), '%Y-%m-%d') AS last FROM usage`,
    [tz, tz],
  );
  return r?.first && r.last ? { since: r.first, until: r.last } : undefined;
}

export function demoFixtures(): string {
  return join(packageRoot(), 'fixtures', 'demo');
}

export interface DemoSummary {
  path: string;
  now: string;
  steps: { name: string; outcome: string }[];
  rows_loaded: number;
  period: { from: string | null; until: string | null };
  usage_total_cost: string;
  cost_by_model: { model: string; rows: number; cost: string }[];
  unpriced: { model: string; rows: number }[];
  billed_total: string;
  billing_lines: number;
}

export async function runDemo(
  db: Db,
  options: { now: Date; note: (t: string) => void; steps?: DemoStep[] },
): Promise<DemoSummary> {
  await db.run('CREATE TABLE IF NOT EXISTS demo_info (created_at TIMESTAMP NOT NULL, data_until TIMESTAMP NOT NULL)');
  await db.run('INSERT INTO demo_info VALUES (?::TIMESTAMP, ?::TIMESTAMP)', [
    sqlTimestamp(options.now),
    sqlTimestamp(new Date(DEMO_NOW)),
  ]);
  const ctx: DemoStepContext = { db, now: options.now, fixtures: demoFixtures(), note: options.note };
  const steps: { name: string; outcome: string }[] = [];
  for (const step of options.steps ?? DEMO_STEPS) steps.push({ name: step.name, outcome: await step.run(ctx) });
  return { ...(await demoSummary(db)), path: db.path, now: options.now.toISOString(), steps };
}

export async function demoSummary(db: Db): Promise<Omit<DemoSummary, 'path' | 'now' | 'steps'>> {
  const totals = await db.one<Record<string, string | null>>(
    `SELECT count(*)::VARCHAR AS n, coalesce(sum(total_cost), 0)::VARCHAR AS total,
       strftime(min(ts), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(ts), '%Y-%m-%dT%H:%M:%SZ') AS last FROM usage`,
  );
  const byModel = await db.all<{ model: string; n: string; cost: string }>(
    `SELECT coalesce(priced_model, model) AS model, count(*)::VARCHAR AS n, sum(total_cost)::VARCHAR AS cost
     FROM usage WHERE NOT unpriced GROUP BY 1 ORDER BY sum(total_cost) DESC, 1`,
  );
  const unpriced = await db.all<{ model: string; n: string }>(
    'SELECT model, count(*)::VARCHAR AS n FROM usage WHERE unpriced GROUP BY 1 ORDER BY count(*) DESC, 1',
  );
  const billed = await db.one<{ n: string; total: string }>(
    'SELECT count(*)::VARCHAR AS n, coalesce(sum(billed_cost), 0)::VARCHAR AS total FROM billing_lines',
  );
  return {
    rows_loaded: Number(totals!.n),
    period: { from: totals!.first ?? null, until: totals!.last ?? null },
    usage_total_cost: totals!.total!,
    cost_by_model: byModel.map((r) => ({ model: r.model, rows: Number(r.n), cost: r.cost })),
    unpriced: unpriced.map((r) => ({ model: r.model, rows: Number(r.n) })),
    billed_total: billed!.total,
    billing_lines: Number(billed!.n),
  };
}

/**
 * Whether an existing file is a demo database (so the demo may replace it). Opened read-only and
 * without migrations: a real costctl database is never modified by asking.
 */
export async function isDemoDatabase(path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  let instance: DuckDBInstance | undefined;
  try {
    instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        "SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'demo_info'",
      );
      return Number((reader.getRowObjectsJson()[0] as { n: number }).n) > 0;
    } finally {
      connection.closeSync();
    }
  } catch {
    return false;
  } finally {
    instance?.closeSync();
  }
}
