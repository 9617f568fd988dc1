// Everything a pre-call check needs to know besides usage, in two round trips: a gateway calls check
// before every request, and DuckDB's per-query setup costs more than the work itself. The parts:
//  - the catalog model the caller's name means (exact name, then alias, per provider-prefix-stripped
//    candidate, as matchModelName does) and its price version in force at `at`;
//  - the user's directory entry, and from it (unless the request says) department, organization, project;
//  - the quotas of those scopes and every global quota, each with its latest reset at or before `at`;
//  - the budgets with their allocations;
//  - the rollup's state and the ids of its entries for those scopes (see rollup-read.ts).
// Each part comes back as rows of (kind, JSON) whose numbers are all cast to exact text first. Wide rows
// (a price version has 34 columns) are read by id only when this connection has not parsed them yet.
import type { Db, SqlParam } from '../db/database.js';
import type { PriceVersion } from '../domain/catalog-types.js';
import { fromSqlTimestamp, sqlTimestamp } from '../domain/time.js';
import { BUDGET_SELECT, budgetFromRow, type Budget } from './budgets.js';
import { PRICE_SELECT_TEXT, priceVersionFromRow, type ModelRow } from './catalog.js';
import type { DirectoryEntry } from './directory.js';
import { QUOTA_SELECT, toQuota, type Quota } from './quotas.js';
import { bucketOf, QUARTER_MS, rollupKey, rollupScopeKey } from '../domain/rollup-plan.js';
import { BUCKET_SELECT, type Bucket, type ReadBuckets } from './rollup-read.js';
import type { RollupState } from './rollup.js';

export interface CheckContextRequest {
  user: string;
  department?: string;
  organization?: string;
  project?: string;
  account?: string;
  model: string;
  at: Date;
  /** The zone the check's windows are in: buckets are read ahead only when the rollup is kept in it. */
  tz?: string;
}

export interface CheckContext {
  model: ModelRow | undefined;
  price: PriceVersion | undefined;
  who: DirectoryEntry | undefined;
  /** Quotas of those scopes and every global quota (any model filter), by name. */
  quotas: Quota[];
  resets: Map<number, Date>;
  budgets: Budget[];
  rollup: (RollupState & { scopeIds: Map<string, bigint>; buckets: ReadBuckets }) | undefined;
}

/** The names a caller's model may mean: itself, then with each provider prefix removed. */
function candidates(name: string): string[] {
  const out: string[] = [];
  for (let c = name.trim(); ; ) {
    out.push(c);
    const slash = c.indexOf('/');
    if (slash < 0) return out;
    c = c.slice(slash + 1);
  }
}

/**
 * Rows that never change under their key, parsed once per connection: a price version is never updated
 * (a new price is a new version with a new id), and a quota's row changes only with its updated_at.
 * Keyed by connection because ids are per database file.
 */
const parsedPrices = new WeakMap<Db, Map<string, PriceVersion>>();
const parsedQuotas = new WeakMap<Db, Map<string, Quota>>();
/** Rollup scope ids seen on this connection; valid while the rollup's generation (one per build) holds. */
const knownScopeIds = new WeakMap<Db, { generation: string; ids: Map<string, bigint> }>();
function cacheOf<T>(caches: WeakMap<Db, Map<string, T>>, db: Db): Map<string, T> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

type Entry = Record<string, any>;

/** Runs (kind, SELECT) parts as one UNION ALL and groups the rows by kind. */
async function readParts(db: Db, parts: Array<[kind: string, select: string, params: SqlParam[]]>): Promise<(kind: string) => Entry[]> {
  const rows = await db.allPrepared<{ kind: string; j: string }>(
    parts.map(([kind, select]) => `SELECT '${kind}' AS kind, to_json(x) AS j FROM (${select}) x`).join('\nUNION ALL '),
    parts.flatMap(([, , params]) => params),
  );
  return (kind) => rows.filter((r) => r.kind === kind).map((r) => JSON.parse(r.j) as Entry);
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export async function loadCheckContext(db: Db, req: CheckContextRequest): Promise<CheckContext> {
  const cands = candidates(req.model);
  const at = sqlTimestamp(req.at);
  const list = cands.map(() => '?').join(', ');
  // Two rounds of filtered scans, no joins or aggregates: DuckDB sets up a hash table per join or
  // GROUP BY, which costs more than everything else here. Round 1 needs only the request.
  const first = await readParts(db, [
    ['model', `SELECT name, provider, model_type, cost_type, currency, source FROM models WHERE name IN (${list})`, cands],
    ['alias', `SELECT alias, model_name FROM model_aliases WHERE alias IN (${list})`, cands],
    ['who', 'SELECT user_id, department, organization, project, email FROM directory WHERE user_id = ?', [req.user]],
    ['budget', `SELECT ${BUDGET_SELECT} FROM budgets`, []],
    ['allocation', 'SELECT budget_id::VARCHAR AS budget_id, target_type, target, amount::VARCHAR AS amount FROM budget_allocations', []],
    ['rollup', 'SELECT tz, generation::VARCHAR AS generation FROM rollup_meta', []],
    ['tracked', 'SELECT model FROM rollup_models', []],
  ]);

  // The model: per candidate in order, an exact name first, then an alias (as matchModelName does).
  const models = new Map(first('model').map((m) => [m.name as string, m as ModelRow]));
  const aliases = new Map(first('alias').map((a) => [a.alias as string, a.model_name as string]));
  let model: ModelRow | undefined;
  for (const c of cands) {
    model = models.get(c) ?? (aliases.has(c) ? await modelNamed(db, aliases.get(c)!, models) : undefined);
    if (model) break;
  }
  const who = first('who')[0] as DirectoryEntry | undefined;
  // The request's scopes; department, organization and project from the directory when it is silent.
  const values: Array<[string, string | null | undefined]> = [
    ['user', req.user],
    ['department', req.department ?? who?.department],
    ['organization', req.organization ?? who?.organization],
    ['project', req.project ?? who?.project],
    ['account', req.account],
  ];
  const scopes = values.filter((v): v is [string, string] => v[1] != null);
  const scopeList = scopes.map(() => '?').join(', ') || 'NULL';
  const scopeValues = scopes.map(([, v]) => v);
  const [meta] = first('rollup');
  const tracked = first('tracked').map((m) => m.model as string).sort();
  const ahead = meta && req.tz && meta.tz === req.tz ? bucketsAhead(db, meta.generation, scopes, tracked, [req.model, model?.name], req.at, req.tz) : [];
  const second = await readParts(db, [
    ['price', 'SELECT id::VARCHAR AS id, effective_from::VARCHAR AS effective_from FROM model_prices WHERE model_name = ? AND effective_from <= ?::TIMESTAMP', [model?.name ?? null, at]],
    ['quota', `SELECT id::VARCHAR AS id, updated_at::VARCHAR AS updated_at, scope_type, scope_value FROM quotas WHERE scope_type = 'global' OR scope_value IN (${scopeList})`, scopeValues],
    ['reset', 'SELECT quota_id::VARCHAR AS quota_id, reset_at::VARCHAR AS reset_at FROM quota_resets WHERE reset_at <= ?::TIMESTAMP', [at]],
    ['entry', `SELECT scope_id::VARCHAR AS id, scope_type AS t, scope_value AS v, model AS m FROM rollup_scopes WHERE scope_type = 'global' OR scope_value IN (${scopeList})`, scopeValues],
    // Integers computed here: inlined so that DuckDB looks them up in the index.
    ...(ahead.length ? [['bucket', `SELECT ${BUCKET_SELECT} FROM usage_rollup WHERE k IN (${ahead.join(', ')})`, []] as [string, string, SqlParam[]]] : []),
  ]);

  const price = second('price').reduce<Entry | undefined>((best, p) => (!best || p.effective_from > best.effective_from ? p : best), undefined);
  const mine = new Set(scopes.map(([t, v]) => `${t}\u0000${v}`));
  const quotaKeys = second('quota').filter((q) => q.scope_type === 'global' || mine.has(`${q.scope_type}\u0000${q.scope_value}`));
  const resets = new Map<number, Date>();
  for (const r of second('reset')) {
    const id = Number(r.quota_id);
    const when = fromSqlTimestamp(r.reset_at);
    if (!resets.has(id) || resets.get(id)! < when) resets.set(id, when);
  }
  const allocations = first('allocation').sort((a, b) => `${a.target_type}\u0000${a.target}`.localeCompare(`${b.target_type}\u0000${b.target}`));
  const scopeIds = new Map(second('entry').map((e) => [rollupScopeKey(e.t, e.v, e.m), BigInt(e.id)]));
  if (meta) knownScopeIds.set(db, { generation: meta.generation, ids: scopeIds });
  return {
    model,
    price: model && price ? await priceVersion(db, price.id, model) : undefined,
    who,
    quotas: (await quotaRows(db, quotaKeys)).sort(byName),
    resets,
    budgets: first('budget').map((b) => budgetFromRow(b, allocations.filter((a) => a.budget_id === b.id))).sort(byName),
    rollup: meta && {
      tz: meta.tz,
      models: tracked,
      scopeIds,
      buckets: { asked: new Set(ahead.map(String)), found: new Map(second('bucket').map((b) => [b.k as string, b as Bucket])) },
    },
  };
}

/**
 * Keys of the buckets a check will most likely want, read in the same round trip as the quotas: for each
 * of the request's scopes whose rollup id this connection already knows (same build generation), the
 * hour, day, week, month and year containing `at` and all time. A window starting elsewhere (after a
 * reset) or a bucket with rows after `at` costs one more query in rollup-read.ts.
 */
function bucketsAhead(db: Db, generation: string, scopes: Array<[string, string]>, tracked: string[], models: Array<string | undefined>, at: Date, tz: string): bigint[] {
  const known = knownScopeIds.get(db);
  if (!known || known.generation !== generation) return [];
  const filters = ['', ...tracked.filter((m) => models.includes(m))];
  const starts = (['hour', 'day', 'week', 'month', 'year'] as const).map((g) => [g, bucketOf(g, at, tz).start.getTime() / QUARTER_MS] as const);
  const keys: bigint[] = [];
  for (const [type, value] of [...scopes, ['global', ''] as [string, string]]) {
    for (const m of filters) {
      const id = known.ids.get(rollupScopeKey(type, value, m));
      if (id === undefined) continue;
      for (const [g, q] of starts) keys.push(rollupKey(id, g, q));
      keys.push(rollupKey(id, 'all', 0));
    }
  }
  return keys;
}

/** An alias's model, when the alias points outside the candidates (rare: one more query). */
async function modelNamed(db: Db, name: string, known: Map<string, ModelRow>): Promise<ModelRow | undefined> {
  return known.get(name) ?? db.one<ModelRow>('SELECT name, provider, model_type, cost_type, currency, source FROM models WHERE name = ?', [name]);
}

async function priceVersion(db: Db, id: string, model: ModelRow): Promise<PriceVersion | undefined> {
  const cache = cacheOf(parsedPrices, db);
  const key = `${model.name}\u0000${model.provider}\u0000${model.currency}\u0000${id}`;
  if (!cache.has(key)) {
    const row = await db.one(`SELECT ${PRICE_SELECT_TEXT} FROM model_prices WHERE id = ?`, [id]);
    if (!row) return undefined;
    cache.set(key, priceVersionFromRow(row, model));
  }
  return cache.get(key);
}

async function quotaRows(db: Db, keys: Entry[]): Promise<Quota[]> {
  const cache = cacheOf(parsedQuotas, db);
  const key = (q: Entry) => `${q.id}\u0000${q.updated_at}`;
  const missing = keys.filter((q) => !cache.has(key(q)));
  if (missing.length) {
    const rows = await db.all(`SELECT ${QUOTA_SELECT} FROM quotas WHERE id IN (${missing.map(() => '?').join(', ')})`, missing.map((q) => q.id));
    for (const r of rows) cache.set(`${r.id}\u0000${r.updated_at}`, toQuota(r));
  }
  return keys.map((q) => cache.get(key(q))).filter((q): q is Quota => q !== undefined);
}
