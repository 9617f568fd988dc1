// The usage of one request's scopes in every window its check needs, read from the rows: what check
// falls back to when the rollup cannot answer.
import type { Db, SqlParam } from '../../db/database.js';
import { totalTokensSql } from '../../db/usage-columns.js';
import { Decimal } from '../../domain/money.js';
import { sqlTimestamp } from '../../domain/time.js';
import type { Metric, Scope } from './quotas.js';
import type { UsageWindow, WindowUsage } from './status.js';

/**
 * The same figures as usageInWindows for the few scopes of one request, in one pass without joins:
 * each row is tagged with which of the request's scopes it belongs to and the latest window start it
 * is not before, then grouped; the windows are summed from the handful of groups. A check touches
 * many windows (every applicable quota × period, daily, hourly) but only ~6 scopes and ~4 starts.
 * Its cost is one scan of the rows since the earliest window start (a month for a monthly quota), so
 * check uses it only when the rollup (rollup-read.ts) cannot answer.
 */
export async function usageForRequest(
  db: Db,
  windows: UsageWindow[],
  at: Date,
  metrics: ReadonlySet<Metric> = new Set(['cost', 'tokens', 'requests']),
): Promise<Map<string, WindowUsage>> {
  const result = new Map<string, WindowUsage>();
  if (windows.length === 0) return result;
  const scopeKey = (s: Scope) => `${s.type}:${s.value ?? ''}`;
  const scopes = [
    ...new Map(windows.filter((w) => w.scope.type !== 'global').map((w) => [scopeKey(w.scope), w.scope])).values(),
  ];
  const starts = [...new Set(windows.map((w) => w.start.getTime()))].sort((a, b) => a - b);
  const byModel = windows.some((w) => w.model !== null);
  const params: SqlParam[] = [];
  // Parameters in the order they appear in the SQL: the bucket CASE, the scope flags, the ts range.
  const bucketCases = starts
    .map((_, k) => k)
    .reverse()
    .map((k) => {
      params.push(sqlTimestamp(new Date(starts[k]!)));
      return `WHEN u.ts >= ?::TIMESTAMP THEN ${k}`;
    })
    .join(' ');
  const flags = scopes.map((s, i) => {
    if (s.type === 'user' || s.type === 'account') {
      params.push(s.value);
      return `(u.${s.type === 'user' ? 'user_id' : 'account_id'} = ? IS TRUE) AS f${i}`;
    }
    params.push(s.value, s.value);
    return `(u.${s.type} = ? OR (u.${s.type} IS NULL AND u.user_id IN (SELECT user_id FROM directory WHERE ${s.type} = ?))) IS TRUE AS f${i}`;
  });
  const anyGlobal = windows.some((w) => w.scope.type === 'global');
  params.push(sqlTimestamp(new Date(starts[0]!)), sqlTimestamp(at));
  const groupCols = ['bucket', ...scopes.map((_, i) => `f${i}`), ...(byModel ? ['model', 'priced_model'] : [])];
  const rows = await db.all(
    // Only the sums some window needs: summing 128-bit decimals over a month of rows is the bulk of a check.
    `SELECT ${groupCols.join(', ')}, ${metrics.has('cost') ? 'sum(total_cost)' : 'NULL'}::VARCHAR AS cost,
       ${metrics.has('tokens') ? 'sum(tokens)' : '0'}::VARCHAR AS tokens, ${metrics.has('requests') ? 'sum(requests)' : '0'}::VARCHAR AS requests,
       count(*)::VARCHAR AS rows_, count(*) FILTER (WHERE unpriced)::VARCHAR AS unpriced_rows
     FROM (
       SELECT CASE ${bucketCases} ELSE -1 END AS bucket, ${flags.length ? `${flags.join(', ')},` : ''}
         u.model, u.priced_model, u.total_cost, u.requests, u.unpriced,
         ${metrics.has('tokens') ? totalTokensSql('u') : '0'} AS tokens
       FROM usage u WHERE u.ts >= ?::TIMESTAMP AND u.ts <= ?::TIMESTAMP
     ) t ${anyGlobal || flags.length === 0 ? '' : `WHERE ${scopes.map((_, i) => `f${i}`).join(' OR ')}`}
     GROUP BY ${groupCols.join(', ')}`,
    params,
  );
  for (const w of windows) {
    const k = starts.indexOf(w.start.getTime());
    const f = w.scope.type === 'global' ? -1 : scopes.findIndex((s) => scopeKey(s) === scopeKey(w.scope));
    const sum: WindowUsage = {
      cost: new Decimal(0),
      tokens: new Decimal(0),
      requests: new Decimal(0),
      rows: 0,
      unpricedRows: 0,
    };
    for (const r of rows) {
      if (Number(r.bucket) < k) continue;
      if (f >= 0 && r[`f${f}`] !== true) continue;
      if (w.model !== null && r.model !== w.model && r.priced_model !== w.model) continue;
      if (r.cost !== null) sum.cost = sum.cost.plus(r.cost);
      sum.tokens = sum.tokens.plus(r.tokens ?? 0);
      sum.requests = sum.requests.plus(r.requests ?? 0);
      sum.rows += Number(r.rows_);
      sum.unpricedRows += Number(r.unpriced_rows);
    }
    if (sum.rows > 0) result.set(w.key, sum);
  }
  return result;
}
