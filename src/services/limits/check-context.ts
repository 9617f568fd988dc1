// Everything a pre-call check needs to know besides usage, in at most two round trips: a gateway calls
// check before every request, and DuckDB's per-query setup costs more than the work itself. A connection
// keeps what it read until a statement on it writes to one of the tables read (see CONTEXT_TABLES), so a
// gateway's repeated checks read only the rollup buckets (rollup-read.ts). The parts:
//  - the catalog model the caller's name means (exact name, then alias, per nameCandidates, as
//    matchModelName does) and its price version in force at `at`;
//  - the user's directory entry, and from it (unless the request says) department, organization, project;
//  - the quotas of those scopes and every global quota, each with its latest reset at or before `at`;
//  - the budgets with their allocations; the operator's discounts and markups;
//  - the rollup's state and the ids of its entries for those scopes.
// Price versions and resets are read whole and chosen by `at` here, so that kept rows serve any instant.
// Each part comes back as rows of (kind, JSON) whose numbers are all cast to exact text first.
import type { Db, SqlParam, Row } from '../../db/database.js';
import type { PriceVersion } from '../../domain/catalog-types.js';
import { fromSqlTimestamp } from '../../domain/time.js';
import { BUDGET_SELECT, budgetFromRow, type Budget } from './budgets.js';
import { nameCandidates, type ServedVariant } from '../../domain/model-names.js';
import { modelNamed, variantOf } from './check-model.js';
import { PRICE_SELECT_TEXT, priceVersionFromRow, type ModelRow } from '../prices/catalog.js';
import type { DirectoryEntry } from './directory.js';
import { QUOTA_SELECT, toQuota, type Quota } from './quotas.js';
import { rollupScopeKey } from '../../domain/rollup-plan.js';
import type { RollupState } from './rollup.js';
import { ADJUSTMENT_SELECT, adjustmentFromRow, type AdjustmentRow } from '../../db/price-adjustments-sql.js';
import { adjustmentsAt, costMultipliers, type CostMultiplier } from '../../domain/price-adjustments.js';

export interface CheckContextRequest {
  user: string;
  department?: string;
  organization?: string;
  project?: string;
  account?: string;
  model: string;
  at: Date;
  /** How the request is served (fast mode, a region): its own catalog entry prices it (see variantModel). */
  variant?: ServedVariant;
}

export interface CheckContext {
  /** The catalog model the caller's name means (its standard entry, whatever the variant). */
  model: ModelRow | undefined;
  /** The entry that prices the request: the variant's own (`fast/…`, `us/…`) where the catalog has one. */
  priced: ModelRow | undefined;
  /** Why the served variant is priced as it is (variantModel's rule), or null. */
  variantRule: string | null;
  price: PriceVersion | undefined;
  /** The operator's discount and markup in force for the model at `at`, applied after the price. */
  adjustments: CostMultiplier[];
  who: DirectoryEntry | undefined;
  /** Quotas of those scopes and every global quota (any model filter), by name. */
  quotas: Quota[];
  resets: Map<number, Date>;
  budgets: Budget[];
  rollup: (RollupState & { scopeIds: Map<string, bigint> }) | undefined;
}

type Entry = Row;

/** One part of a context query: rows of `select` tagged `kind`. */
interface Part {
  kind: string;
  select: string;
  params: SqlParam[];
  /** Rows that depend only on the tables in CONTEXT_TABLES (so they may be kept; not the buckets). */
  keep: boolean;
}

/**
 * Every table a kept part reads. Kept rows are reused while no statement on the connection has written
 * to one of these (Db.writeStamp), so a gateway's repeated checks make one small query for the buckets.
 * A part that reads a table missing here would be kept past a change to it: list every table it names.
 */
export const CONTEXT_TABLES = [
  'models',
  'model_aliases',
  'model_prices',
  'price_adjustments',
  'directory',
  'budgets',
  'budget_allocations',
  'quotas',
  'quota_resets',
  'rollup_meta',
  'rollup_models',
  'rollup_scopes',
] as const;

/**
 * What one connection keeps between checks, valid while its write stamp holds: part rows by part and
 * parameters, and the price versions and quotas parsed from them. Bounded for gateways with many users.
 */
interface Kept {
  stamp: number;
  rows: Map<string, Entry[]>;
  prices: Map<string, PriceVersion>;
  quotas: Map<string, Quota>;
}
const keptByConnection = new WeakMap<Db, Kept>();
const KEPT_PARTS_MAX = 10_000;

function keptFor(db: Db): Kept {
  const stamp = db.writeStamp(CONTEXT_TABLES);
  let kept = keptByConnection.get(db);
  if (!kept || kept.stamp !== stamp || kept.rows.size > KEPT_PARTS_MAX) {
    kept = { stamp, rows: new Map(), prices: new Map(), quotas: new Map() };
    keptByConnection.set(db, kept);
  }
  return kept;
}

/** Runs the parts not already kept as one UNION ALL and groups the rows by kind. */
async function readParts(db: Db, parts: Part[]): Promise<(kind: string) => Entry[]> {
  const kept = keptFor(db);
  const keyOf = (p: Part) => `${p.kind}\u0000${p.select}\u0000${JSON.stringify(p.params)}`;
  const byKind = new Map<string, Entry[]>();
  const todo: Part[] = [];
  for (const p of parts) {
    const rows = p.keep ? kept.rows.get(keyOf(p)) : undefined;
    if (rows) byKind.set(p.kind, rows);
    else {
      byKind.set(p.kind, []);
      todo.push(p);
    }
  }
  if (todo.length) {
    const rows = await db.allPrepared<{ kind: string; j: string }>(
      todo.map((p) => `SELECT '${p.kind}' AS kind, to_json(x) AS j FROM (${p.select}) x`).join('\nUNION ALL '),
      todo.flatMap((p) => p.params),
    );
    for (const r of rows) byKind.get(r.kind)!.push(JSON.parse(r.j) as Entry);
    for (const p of todo) if (p.keep) kept.rows.set(keyOf(p), byKind.get(p.kind)!);
  }
  return (kind) => byKind.get(kind) ?? [];
}

const kept = (kind: string, select: string, params: SqlParam[] = []): Part => ({ kind, select, params, keep: true });

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export async function loadCheckContext(db: Db, req: CheckContextRequest): Promise<CheckContext> {
  const cands = nameCandidates(req.model);
  const variant = req.variant ?? '';
  // A served variant's entries are read with the names (`fast/<name>`): no round trip of its own.
  const names = variant === '' ? cands : [...cands, ...cands.map((c) => `${variant}/${c}`)];
  const list = names.map(() => '?').join(', ');
  // Two rounds of filtered scans, no joins or aggregates: DuckDB sets up a hash table per join or
  // GROUP BY, which costs more than everything else here. Round 1 needs only the request.
  const first = await readParts(db, [
    kept(
      'model',
      `SELECT name, provider, model_type, cost_type, currency, source FROM models WHERE name IN (${list})`,
      names,
    ),
    kept(
      'alias',
      `SELECT alias, model_name FROM model_aliases WHERE alias IN (${cands.map(() => '?').join(', ')})`,
      cands,
    ),
    kept('who', 'SELECT user_id, department, organization, project, email FROM directory WHERE user_id = ?', [
      req.user,
    ]),
    kept('budget', `SELECT ${BUDGET_SELECT} FROM budgets`),
    kept(
      'allocation',
      'SELECT budget_id::VARCHAR AS budget_id, target_type, target, amount::VARCHAR AS amount FROM budget_allocations',
    ),
    kept('rollup', 'SELECT tz, generation::VARCHAR AS generation FROM rollup_meta'),
    kept('adjustment', `SELECT ${ADJUSTMENT_SELECT} FROM price_adjustments`),
    kept('tracked', 'SELECT model FROM rollup_models'),
  ]);

  // The model: per candidate in order, an exact name first, then an alias (as matchModelName does).
  const models = new Map(first('model').map((m) => [m.name as string, m as ModelRow]));
  const aliases = new Map(first('alias').map((a) => [a.alias as string, a.model_name as string]));
  let model: ModelRow | undefined;
  for (const c of cands) {
    model = models.get(c) ?? (aliases.has(c) ? await modelNamed(db, aliases.get(c)!, models) : undefined);
    if (model) break;
  }
  const served = model ? await variantOf(db, model, variant, models, cands) : { priced: undefined, rule: null };
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
  const tracked = first('tracked')
    .map((m) => m.model as string)
    .sort();
  const scopeSql = `scope_type = 'global' OR scope_value IN (${scopeList})`;
  const second = await readParts(db, [
    kept(
      'price',
      `SELECT ${PRICE_SELECT_TEXT}, epoch_us(effective_from)::VARCHAR AS from_us FROM model_prices WHERE model_name = ?`,
      [served.priced?.name ?? null],
    ),
    kept('quota', `SELECT ${QUOTA_SELECT} FROM quotas WHERE ${scopeSql}`, scopeValues),
    kept(
      'reset',
      'SELECT quota_id::VARCHAR AS quota_id, reset_at::VARCHAR AS reset_at, epoch_us(reset_at)::VARCHAR AS at_us FROM quota_resets',
    ),
    kept(
      'entry',
      `SELECT scope_id::VARCHAR AS id, scope_type AS t, scope_value AS v, model AS m FROM rollup_scopes WHERE ${scopeSql}`,
      scopeValues,
    ),
  ]);

  // What was in force at `at`: the latest price version and reset at or before it (kept rows hold all).
  const atUs = BigInt(req.at.getTime()) * 1000n;
  const latest = (rows: Entry[], us: string) =>
    rows
      .filter((r) => BigInt(r[us]) <= atUs)
      .reduce<Entry | undefined>((best, r) => (!best || BigInt(r[us]) > BigInt(best[us]) ? r : best), undefined);
  const price = latest(second('price'), 'from_us');
  const mine = new Set(scopes.map(([t, v]) => `${t}\u0000${v}`));
  const quotaRows = second('quota').filter(
    (q) => q.scope_type === 'global' || mine.has(`${q.scope_type}\u0000${q.scope_value}`),
  );
  const resets = new Map<number, Date>();
  for (const r of second('reset')) {
    const id = Number(r.quota_id);
    if (BigInt(r.at_us) <= atUs && (!resets.has(id) || resets.get(id)! < fromSqlTimestamp(r.reset_at)))
      resets.set(id, fromSqlTimestamp(r.reset_at));
  }
  // Kept rows are shared between checks: sort a copy.
  const allocations = [...first('allocation')].sort((a, b) =>
    `${a.target_type}\u0000${a.target}`.localeCompare(`${b.target_type}\u0000${b.target}`),
  );
  const entries = second('entry');
  const scopeIds = new Map(entries.map((e) => [rollupScopeKey(e.t, e.v, e.m), BigInt(e.id)]));
  const pricedModel = served.priced;
  return {
    model,
    priced: pricedModel,
    variantRule: served.rule,
    price: pricedModel && price ? priceVersion(db, price, pricedModel) : undefined,
    adjustments: pricedModel
      ? costMultipliers(
          adjustmentsAt(
            first('adjustment').map((a) => adjustmentFromRow(a as AdjustmentRow)),
            pricedModel.provider,
            pricedModel.name,
            req.at,
          ),
        )
      : [],
    who,
    quotas: quotaRows.map((q) => quota(db, q)).sort(byName),
    resets,
    budgets: first('budget')
      .map((b) =>
        budgetFromRow(
          b,
          allocations.filter((a) => a.budget_id === b.id),
        ),
      )
      .sort(byName),
    rollup: meta && {
      tz: meta.tz,
      models: tracked,
      scopeIds,
    },
  };
}

/** Parsed once per kept rows: a price version row has 34 columns of exact decimals. */
function priceVersion(db: Db, row: Entry, model: ModelRow): PriceVersion {
  const parsed = keptFor(db).prices;
  const key = `${model.name}\u0000${model.provider}\u0000${model.currency}\u0000${row.id}`;
  if (!parsed.has(key)) parsed.set(key, priceVersionFromRow(row, model));
  return parsed.get(key)!;
}

function quota(db: Db, row: Entry): Quota {
  const parsed = keptFor(db).quotas;
  const key = String(row.id);
  if (!parsed.has(key)) parsed.set(key, toQuota(row));
  return parsed.get(key)!;
}
