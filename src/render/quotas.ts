// Quotas for people and programs: the list, where each stands per window (period, daily, hourly), JSON.
import { type Decimal, formatMoney } from '../domain/money.js';
import { wallTime } from '../domain/time.js';
import { type Metric, type Quota, scopeLabel } from '../services/limits/quotas.js';
import type { QuotaStatus } from '../services/limits/status.js';
import { formatCount } from './count.js';
import { type Cell, money, renderTable } from './table.js';

export { quotaJson } from '../services/limits/quota-json.js';

/** `2026-03-01 00:00` in the reporting zone: windows are local, so people read them local. */
export function localStamp(d: Date | null, tz: string): string {
  if (!d) return '—';
  const w = wallTime(d, tz);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

/** A limit in a sentence: money for cost quotas, a grouped count for token/request ones. */
export function amount(metric: Metric, v: Decimal): string {
  return metric === 'cost' ? formatMoney(v) : formatCount(v.toFixed());
}

/** A limit or its use in a table: money (formatted with its column) for cost quotas, a grouped count for token/request ones. */
function amountCell(metric: Metric, v: Decimal): Cell {
  return metric === 'cost' ? money(v) : formatCount(v.toFixed());
}

export function quotaStatusJson(s: QuotaStatus) {
  return { ...s, scope: scopeLabel(s.scope) };
}

/** ` +50,75%`: the extra thresholds beside warning/critical. */
function extraCell(q: Quota): string {
  return q.extraThresholds.length ? ` +${q.extraThresholds.map((x) => x.times(100).toFixed()).join(',')}%` : '';
}

export function renderQuotaList(quotas: Quota[]): string {
  return renderTable(
    [
      { header: 'name' },
      { header: 'scope' },
      { header: 'metric' },
      { header: 'period' },
      { header: 'limit', align: 'right' },
      { header: 'daily', align: 'right' },
      { header: 'hourly', align: 'right' },
      { header: 'warn/crit' },
      { header: 'enforce' },
      { header: 'model' },
    ],
    quotas.map((q) => [
      q.name,
      scopeLabel(q.scope),
      q.metric,
      q.period,
      amountCell(q.metric, q.limit),
      q.dailyLimit ? amountCell(q.metric, q.dailyLimit) : '',
      q.hourlyLimit ? amountCell(q.metric, q.hourlyLimit) : '',
      `${q.warning.toFixed()}/${q.critical.toFixed()}${extraCell(q)}`,
      q.enforcement,
      q.model ?? '',
    ]),
  );
}

export function renderQuotaStatus(statuses: QuotaStatus[], tz: string): string {
  const rows = statuses.flatMap((s) =>
    s.sub_limits.map((sub, i) => [
      i === 0 ? s.name : '',
      i === 0 ? scopeLabel(s.scope) : '',
      sub.kind === 'period' ? s.period : sub.kind,
      `${localStamp(sub.window_start, tz)} → ${localStamp(sub.window_end, tz)}`,
      amountCell(s.metric, sub.used),
      amountCell(s.metric, sub.limit),
      amountCell(s.metric, sub.remaining),
      sub.percentage === null ? '—' : `${sub.percentage.toFixed(2)}%`,
      sub.state,
      sub.kind === s.binding ? '◀ binds' : '',
      i === 0 && s.unpriced_rows ? `${s.unpriced_rows} unpriced` : '',
    ]),
  );
  return renderTable(
    [
      { header: 'quota', main: true },
      { header: 'scope', optional: true },
      { header: 'limit' },
      { header: `window (${tz})`, optional: true },
      { header: 'used', align: 'right' },
      { header: 'limit', align: 'right' },
      { header: 'remaining', align: 'right', optional: true },
      { header: '%', align: 'right' },
      { header: 'state' },
      { header: '', optional: true },
      { header: 'note', optional: true },
    ],
    rows,
  );
}
