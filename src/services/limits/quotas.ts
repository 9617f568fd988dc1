// Quotas: the rules (scope, metric, period, limits, thresholds, enforcement) and their reset history.
// What a quota has used is never stored; quota-status.ts derives it from the usage rows.
import { DataError, UsageError } from '../../errors.js';
import type { Db, Row } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { PERIODS, PERIOD_RANK, type Period } from '../../domain/windows.js';
import { fromSqlTimestamp, sqlTimestamp } from '../../domain/time.js';

export const SCOPE_TYPES = ['user', 'department', 'organization', 'project', 'account', 'global'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];
export const METRICS = ['cost', 'tokens', 'requests'] as const;
export type Metric = (typeof METRICS)[number];
export const ENFORCEMENTS = ['hard', 'soft'] as const;
export type Enforcement = (typeof ENFORCEMENTS)[number];

const EMAIL = /^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$/;

export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}

export interface Scope {
  type: ScopeType;
  /** null only for `global`. */
  value: string | null;
}

/** `department:sales-east`, `user:u-17`, `global`. */
export function parseScope(text: string, flag = '--scope'): Scope {
  const t = text.trim();
  if (t === 'global') return { type: 'global', value: null };
  const colon = t.indexOf(':');
  const type = (colon < 0 ? t : t.slice(0, colon)) as ScopeType;
  const value = colon < 0 ? '' : t.slice(colon + 1).trim();
  if (!SCOPE_TYPES.includes(type)) {
    throw new UsageError(
      `${flag}: "${text}" has an unknown scope type; use TYPE:VALUE with TYPE one of ${SCOPE_TYPES.join(', ')} (e.g. department:sales-east), or global`,
    );
  }
  if (type === 'global') throw new UsageError(`${flag}: global takes no value (write just "global")`);
  if (!value) throw new UsageError(`${flag}: "${text}" needs a value after the colon (e.g. ${type}:sales-east)`);
  return { type, value };
}

export function scopeLabel(scope: Scope): string {
  return scope.type === 'global' ? 'global' : `${scope.type}:${scope.value}`;
}

export interface QuotaSpec {
  name: string;
  scope: Scope;
  metric: Metric;
  period: Period;
  limit: Decimal;
  dailyLimit: Decimal | null;
  hourlyLimit: Decimal | null;
  warning: Decimal;
  critical: Decimal;
  /** Fractions of the limit beyond warning and critical, each alerted on its own (none when absent). */
  extraThresholds?: Decimal[];
  enforcement: Enforcement;
  model: string | null;
  recipients: string[];
}

export interface Quota extends QuotaSpec {
  id: number;
  extraThresholds: Decimal[];
  createdAt: Date;
  updatedAt: Date;
}

export const QUOTA_DEFAULTS = {
  metric: 'cost' as Metric,
  warning: new Decimal('0.80'),
  critical: new Decimal('0.95'),
  enforcement: 'hard' as Enforcement,
};

/** Every rule a quota must satisfy; the message names the flag to fix. Throws UsageError (exit 2). */
export function validateQuotaSpec(spec: QuotaSpec): void {
  const fail = (m: string) => {
    throw new UsageError(m);
  };
  // No colon: alert subjects are `quota:<name>:<sub-limit>`.
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/.test(spec.name)) {
    fail(`quota name "${spec.name}" must be 1–100 letters, digits, . _ - @ and start with a letter or digit`);
  }
  if (!PERIODS.includes(spec.period)) fail(`--period: "${spec.period}" must be one of ${PERIODS.join(', ')}`);
  if (!METRICS.includes(spec.metric)) fail(`--metric: "${spec.metric}" must be one of ${METRICS.join(', ')}`);
  if (!ENFORCEMENTS.includes(spec.enforcement)) fail(`--enforcement: "${spec.enforcement}" must be hard or soft`);
  const limits: Array<[string, Decimal | null]> = [
    ['--limit', spec.limit],
    ['--daily-limit', spec.dailyLimit],
    ['--hourly-limit', spec.hourlyLimit],
  ];
  for (const [flag, v] of limits) {
    if (v === null) continue;
    if (v.isNegative()) fail(`${flag}: ${v.toFixed()} is negative; a limit is an amount ≥ 0`);
    if (spec.metric !== 'cost' && !v.isInteger())
      fail(`${flag}: ${v.toFixed()} must be a whole number for --metric ${spec.metric}`);
    if (v.decimalPlaces() > 18) fail(`${flag}: ${v.toFixed()} has more than 18 decimals`);
  }
  if (spec.dailyLimit !== null) {
    if (PERIOD_RANK[spec.period] <= PERIOD_RANK.daily)
      fail(
        `--daily-limit: a ${spec.period} quota has no daily sub-limit (use it with weekly, monthly, yearly or total)`,
      );
    if (spec.dailyLimit.gt(spec.limit))
      fail(
        `--daily-limit: ${spec.dailyLimit.toFixed()} is above --limit ${spec.limit.toFixed()}; a sub-limit cannot exceed the period limit`,
      );
  }
  if (spec.hourlyLimit !== null) {
    if (PERIOD_RANK[spec.period] <= PERIOD_RANK.hourly) fail('--hourly-limit: an hourly quota has no hourly sub-limit');
    if (spec.hourlyLimit.gt(spec.limit))
      fail(`--hourly-limit: ${spec.hourlyLimit.toFixed()} is above --limit ${spec.limit.toFixed()}`);
    if (spec.dailyLimit !== null && spec.hourlyLimit.gt(spec.dailyLimit)) {
      fail(`--hourly-limit: ${spec.hourlyLimit.toFixed()} is above --daily-limit ${spec.dailyLimit.toFixed()}`);
    }
  }
  for (const [flag, v] of [
    ['--warning', spec.warning],
    ['--critical', spec.critical],
  ] as const) {
    if (v.lte(0) || v.gt(1)) fail(`${flag}: ${v.toFixed()} must be a fraction above 0 and at most 1 (e.g. 0.8)`);
  }
  if (spec.warning.gte(spec.critical)) {
    fail(`--warning ${spec.warning.toFixed()} must be below --critical ${spec.critical.toFixed()}`);
  }
  for (const x of spec.extraThresholds ?? []) {
    const named = x.eq(spec.warning) ? '--warning' : x.eq(spec.critical) ? '--critical' : null;
    if (x.lte(0) || x.gte(1)) fail(`--thresholds: ${x.times(100).toFixed()} must be above 0 and below 100`);
    if (named) fail(`--thresholds: ${x.times(100).toFixed()} is already ${named} ${x.toFixed()}; leave it out`);
  }
  for (const r of spec.recipients)
    if (!isEmail(r)) fail(`--notify: "${r}" is not an email address (e.g. ops@example.com)`);
}

export const QUOTA_SELECT = `id, name, scope_type, scope_value, metric, period, limit_amount::VARCHAR AS limit_amount,
  daily_limit::VARCHAR AS daily_limit, hourly_limit::VARCHAR AS hourly_limit,
  warning_threshold::VARCHAR AS warning_threshold, critical_threshold::VARCHAR AS critical_threshold,
  enforcement, model, recipients::VARCHAR AS recipients, extra_thresholds::VARCHAR AS extra_thresholds, created_at::VARCHAR AS created_at, updated_at::VARCHAR AS updated_at`;

const dec = (v: string | null) => (v === null ? null : new Decimal(v));

export function toQuota(r: Row): Quota {
  return {
    id: Number(r.id),
    name: r.name,
    scope: { type: r.scope_type, value: r.scope_value },
    metric: r.metric,
    period: r.period,
    limit: new Decimal(r.limit_amount),
    dailyLimit: dec(r.daily_limit),
    hourlyLimit: dec(r.hourly_limit),
    warning: new Decimal(r.warning_threshold),
    critical: new Decimal(r.critical_threshold),
    extraThresholds: (JSON.parse(r.extra_thresholds ?? '[]') as string[]).map((x) => new Decimal(x)),
    enforcement: r.enforcement,
    model: r.model,
    recipients: JSON.parse(r.recipients ?? '[]'),
    createdAt: fromSqlTimestamp(r.created_at),
    updatedAt: fromSqlTimestamp(r.updated_at),
  };
}

function specParams(spec: QuotaSpec): (string | null)[] {
  return [
    spec.scope.type,
    spec.scope.value,
    spec.metric,
    spec.period,
    spec.limit.toFixed(),
    spec.dailyLimit?.toFixed() ?? null,
    spec.hourlyLimit?.toFixed() ?? null,
    spec.warning.toFixed(),
    spec.critical.toFixed(),
    spec.enforcement,
    spec.model,
    JSON.stringify(spec.recipients),
    JSON.stringify((spec.extraThresholds ?? []).map((x) => x.toFixed())),
  ];
}

export async function addQuota(db: Db, spec: QuotaSpec, now: Date): Promise<Quota> {
  validateQuotaSpec(spec);
  if (await db.one('SELECT 1 AS x FROM quotas WHERE name = ?', [spec.name])) {
    throw new UsageError(
      `quota "${spec.name}" already exists (names are unique; change it with \`costctl quotas update ${spec.name}\`)`,
    );
  }
  await db.run(
    `INSERT INTO quotas (name, scope_type, scope_value, metric, period, limit_amount, daily_limit, hourly_limit,
       warning_threshold, critical_threshold, enforcement, model, recipients, extra_thresholds, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?::DECIMAL(38,18), ?::DECIMAL(38,18), ?::DECIMAL(38,18), ?::DECIMAL(38,18), ?::DECIMAL(38,18), ?, ?, ?::JSON, ?::JSON, ?::TIMESTAMP, ?::TIMESTAMP)`,
    [spec.name, ...specParams(spec), sqlTimestamp(now), sqlTimestamp(now)],
  );
  return getQuota(db, spec.name);
}

export async function listQuotas(db: Db, filter: { scope?: Scope } = {}): Promise<Quota[]> {
  const where: string[] = [];
  const params: (string | null)[] = [];
  if (filter.scope) {
    where.push('scope_type = ?', filter.scope.value === null ? 'scope_value IS NULL' : 'scope_value = ?');
    params.push(filter.scope.type);
    if (filter.scope.value !== null) params.push(filter.scope.value);
  }
  const rows = await db.all(
    `SELECT ${QUOTA_SELECT} FROM quotas ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name`,
    params,
  );
  return rows.map(toQuota);
}

/** Quotas of any of `scopes`, plus every global quota: what applies to one request. */
export async function findQuota(db: Db, name: string): Promise<Quota | undefined> {
  const row = await db.one(`SELECT ${QUOTA_SELECT} FROM quotas WHERE name = ?`, [name]);
  return row ? toQuota(row) : undefined;
}

export async function getQuota(db: Db, name: string): Promise<Quota> {
  const q = await findQuota(db, name);
  if (!q) throw new DataError(`quota "${name}" does not exist (see \`costctl quotas list\`)`);
  return q;
}

/** Applies a partial change; the result must still be a valid quota, else nothing changes. */
export async function updateQuota(
  db: Db,
  name: string,
  patch: Partial<Omit<QuotaSpec, 'name'>>,
  now: Date,
): Promise<Quota> {
  const current = await getQuota(db, name);
  const next: QuotaSpec = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  };
  validateQuotaSpec(next);
  await db.run(
    `UPDATE quotas SET scope_type = ?, scope_value = ?, metric = ?, period = ?, limit_amount = ?::DECIMAL(38,18),
       daily_limit = ?::DECIMAL(38,18), hourly_limit = ?::DECIMAL(38,18), warning_threshold = ?::DECIMAL(38,18),
       critical_threshold = ?::DECIMAL(38,18), enforcement = ?, model = ?, recipients = ?::JSON, extra_thresholds = ?::JSON,
       updated_at = ?::TIMESTAMP
     WHERE id = ?`,
    [...specParams(next), sqlTimestamp(now), current.id],
  );
  return getQuota(db, name);
}

export async function removeQuota(db: Db, name: string): Promise<void> {
  const q = await getQuota(db, name);
  await db.transaction(async () => {
    await db.run('DELETE FROM quota_resets WHERE quota_id = ?', [q.id]);
    await db.run('DELETE FROM quotas WHERE id = ?', [q.id]);
  });
}

/** Starts a new window at `at` for the quota (all its sub-limits). Usage rows are not touched. */
export async function resetQuota(db: Db, name: string, at: Date, actor: string, note: string | null): Promise<Quota> {
  const q = await getQuota(db, name);
  await db.run('INSERT INTO quota_resets (quota_id, reset_at, actor, note) VALUES (?, ?::TIMESTAMP, ?, ?)', [
    q.id,
    sqlTimestamp(at),
    actor,
    note,
  ]);
  return q;
}

/** The latest reset at or before `at`, per quota id. */
export async function latestResets(db: Db, at: Date, quotaIds?: number[]): Promise<Map<number, Date>> {
  if (quotaIds && quotaIds.length === 0) return new Map();
  const rows = await db.all<{ quota_id: string; reset_at: string }>(
    `SELECT quota_id::VARCHAR AS quota_id, max(reset_at)::VARCHAR AS reset_at FROM quota_resets
     WHERE reset_at <= ?::TIMESTAMP ${quotaIds ? `AND quota_id IN (${quotaIds.map(() => '?').join(', ')})` : ''}
     GROUP BY quota_id`,
    [sqlTimestamp(at), ...(quotaIds ?? [])],
  );
  return new Map(rows.map((r) => [Number(r.quota_id), fromSqlTimestamp(r.reset_at)]));
}
