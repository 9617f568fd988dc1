// Adding a few just-recorded requests to the quota rollup without a pass over the usage table: the rows
// are in hand, so their buckets are computed here (the same scopes, model filters and local calendar as
// rollup.ts's SQL aggregation) and merged into usage_rollup with one DELETE … RETURNING and one append.
// What it reads to do so (the rollup's zone and model filters, the directory, the scope ids) is kept
// while no statement on the connection writes to those tables (Db.writeStamp). `verifyRollup` and
// test/integration/limits/rollup-add.test.ts prove the result equal to a fresh aggregation.
import { appendRows } from '../../db/append.js';
import type { Db } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import {
  bucketStartsOfQuarter,
  GRAIN_ID,
  GRAINS,
  QUARTER_MS,
  ROLLUP_END,
  rollupKey,
  rollupScopeKey,
} from '../../domain/rollup-plan.js';

/** What the rollup needs of one stored usage row. */
export interface RollupRow {
  ts: Date;
  userId: string | null;
  accountId: string | null;
  department: string | null;
  organization: string | null;
  project: string | null;
  model: string;
  pricedModel: string | null;
  /** null when unpriced. */
  totalCost: string | null;
  tokens: bigint;
  requests: bigint;
}

const STATE_TABLES = ['rollup_meta', 'rollup_models', 'rollup_scopes', 'directory'] as const;

interface Kept {
  stamp: number;
  tz: string | null;
  models: string[];
  directory: Map<string, { department: string | null; organization: string | null; project: string | null }>;
  scopes: Map<string, bigint>;
}

const kept = new WeakMap<Db, Kept>();

async function stateOf(db: Db): Promise<Kept> {
  const stamp = db.writeStamp(STATE_TABLES);
  const k = kept.get(db);
  if (k && k.stamp === stamp) return k;
  const meta = await db.one<{ tz: string }>('SELECT tz FROM rollup_meta LIMIT 1');
  const fresh: Kept = { stamp, tz: meta?.tz ?? null, models: [], directory: new Map(), scopes: new Map() };
  if (meta) {
    fresh.models = (await db.all<{ model: string }>('SELECT model FROM rollup_models')).map((r) => r.model);
    type Entry = { user_id: string; department: string | null; organization: string | null; project: string | null };
    for (const d of await db.all<Entry>('SELECT user_id, department, organization, project FROM directory'))
      fresh.directory.set(d.user_id, d);
    for (const s of await db.all('SELECT scope_id::VARCHAR AS id, scope_type, scope_value, model FROM rollup_scopes'))
      fresh.scopes.set(rollupScopeKey(s.scope_type, s.scope_value, s.model), BigInt(s.id));
  }
  kept.set(db, fresh);
  return fresh;
}

interface Sums {
  cost: Decimal;
  tokens: bigint;
  requests: bigint;
  rows: bigint;
  unpriced: bigint;
  min: bigint;
  max: bigint;
}

function addTo(into: Sums | undefined, s: Sums): Sums {
  if (!into) return { ...s };
  return {
    cost: into.cost.plus(s.cost),
    tokens: into.tokens + s.tokens,
    requests: into.requests + s.requests,
    rows: into.rows + s.rows,
    unpriced: into.unpriced + s.unpriced,
    min: s.min < into.min ? s.min : into.min,
    max: s.max > into.max ? s.max : into.max,
  };
}

/** The (scope type, value) pairs a row counts toward, as rollup.ts's GROUPING SETS give them. */
function scopesOf(r: RollupRow, k: Kept): Array<[string, string]> {
  const d = r.userId === null ? undefined : k.directory.get(r.userId);
  const pairs: Array<[string, string | null]> = [
    ['user', r.userId],
    ['account', r.accountId],
    ['department', r.department ?? d?.department ?? null],
    ['organization', r.organization ?? d?.organization ?? null],
    ['project', r.project ?? d?.project ?? null],
    ['global', ''],
  ];
  return pairs.filter((p): p is [string, string] => p[1] !== null);
}

/** Adds the rows (just inserted in this transaction) to the rollup, if it is built. */
export async function addRowsToRollup(db: Db, rows: RollupRow[]): Promise<void> {
  const k = await stateOf(db);
  if (k.tz === null || rows.length === 0) return;
  // First per (scope, model filter, quarter), then each quarter into its calendar buckets: a batch's rows
  // mostly share a few quarters, so the calendar is worked out once per quarter, not per row.
  const perQuarter = new Map<string, Map<number, Sums>>();
  for (const r of rows) {
    const t = r.ts.getTime();
    if (t < 0 || t >= ROLLUP_END.getTime()) continue;
    const q = Math.floor(t / QUARTER_MS);
    const micros = BigInt(t) * 1000n;
    const sums: Sums = {
      cost: new Decimal(r.totalCost ?? 0),
      tokens: r.tokens,
      requests: r.requests,
      rows: 1n,
      unpriced: r.totalCost === null ? 1n : 0n,
      min: micros,
      max: micros,
    };
    const filters = ['', ...k.models.filter((m) => m === r.model || m === r.pricedModel)];
    for (const [type, value] of scopesOf(r, k))
      for (const m of filters) {
        const key = rollupScopeKey(type, value, m);
        const quarters = perQuarter.get(key) ?? new Map<number, Sums>();
        perQuarter.set(key, quarters);
        quarters.set(q, addTo(quarters.get(q), sums));
      }
  }
  const startsOf = new Map<number, number[] | null>();
  // (scope key) → (grain, bucket start) → sums
  const deltas = new Map<string, Map<string, Sums>>();
  for (const [key, quarters] of perQuarter) {
    const buckets = new Map<string, Sums>();
    deltas.set(key, buckets);
    for (const [q, sums] of quarters) {
      if (!startsOf.has(q)) startsOf.set(q, bucketStartsOfQuarter(q, k.tz));
      const starts = startsOf.get(q);
      if (!starts) {
        // As rollup.ts does for such a zone: stop keeping the rollup (checks then read the rows).
        await db.run('DELETE FROM rollup_meta');
        return;
      }
      const at = [...starts.map((sq, grain) => `${grain}:${sq}`), `${GRAIN_ID.all}:0`];
      for (const b of at) buckets.set(b, addTo(buckets.get(b), sums));
    }
  }
  await ensureScopes(db, k, [...deltas.keys()]);
  const byKey = new Map<bigint, Sums>();
  for (const [scope, buckets] of deltas) {
    const id = k.scopes.get(scope)!;
    for (const [b, s] of buckets) {
      const [grain, sq] = b.split(':').map(Number) as [number, number];
      const key = rollupKey(id, GRAINS[grain]!, sq);
      byKey.set(key, addTo(byKey.get(key), s));
    }
  }
  // Delete + append rather than UPDATE: DuckDB updates 128-bit columns in place slowly (see rollup.ts).
  const old = await db.all(
    `DELETE FROM usage_rollup WHERE k IN (${[...byKey.keys()].join(', ')})
     RETURNING k::VARCHAR AS k, cost::VARCHAR AS cost, tokens::VARCHAR AS tokens, requests::VARCHAR AS requests,
       rows_::VARCHAR AS rows_, unpriced_rows::VARCHAR AS unpriced_rows,
       epoch_us(min_ts)::VARCHAR AS min_us, epoch_us(max_ts)::VARCHAR AS max_us`,
  );
  for (const o of old) {
    const key = BigInt(o.k);
    byKey.set(
      key,
      addTo(byKey.get(key), {
        cost: new Decimal(o.cost),
        tokens: BigInt(o.tokens),
        requests: BigInt(o.requests),
        rows: BigInt(o.rows_),
        unpriced: BigInt(o.unpriced_rows),
        min: BigInt(o.min_us),
        max: BigInt(o.max_us),
      }),
    );
  }
  await appendRows(
    db,
    'usage_rollup',
    [...byKey].map(([key, s]) => ({
      k: key,
      cost: s.cost.toFixed(),
      tokens: s.tokens,
      requests: s.requests,
      rows_: s.rows,
      unpriced_rows: s.unpriced,
      min_ts: { epochMicros: s.min },
      max_ts: { epochMicros: s.max },
    })),
  );
}

/** Gives every scope key an id, inserting the scopes not seen before. */
async function ensureScopes(db: Db, k: Kept, keys: string[]): Promise<void> {
  const missing = keys.filter((key) => !k.scopes.has(key));
  if (missing.length > 0) {
    const params = missing.flatMap((key) => key.split('\u0000'));
    const added = await db.all(
      `INSERT INTO rollup_scopes (scope_type, scope_value, model) VALUES ${missing.map(() => '(?, ?, ?)').join(', ')}
       RETURNING scope_id::VARCHAR AS id, scope_type, scope_value, model`,
      params,
    );
    for (const s of added) k.scopes.set(rollupScopeKey(s.scope_type, s.scope_value, s.model), BigInt(s.id));
  }
  // Our own writes do not make what is kept stale; a rollback does (it counts as writing everything).
  k.stamp = db.writeStamp(STATE_TABLES);
}
