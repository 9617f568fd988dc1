// Alerts as a table (one row each, newest last) and the custom threshold rules that raise some of them.
import type { Alert } from '../domain/alerts.js';
import type { ThresholdRule } from '../services/alerts/threshold-rules.js';
import { scopeLabel } from '../services/limits/quotas.js';
import { localCell, zoned } from './local-time.js';
import { money, renderTable } from './table.js';

/** Alerts about no window (unpriced usage) are stored at the epoch; a person should not read 1970. */
function windowCell(start: string | null | undefined, tz: string): string {
  return !start || start.startsWith('1970-01-01T00:00:00') ? 'none' : localCell(start, tz);
}

export function renderAlerts(alerts: Alert[], tz: string): string {
  return renderTable(
    [
      { header: 'id', align: 'right' },
      { header: 'type', optional: true },
      { header: 'severity' },
      { header: 'status', optional: true },
      { header: zoned('window start', tz), optional: true },
      { header: 'title', main: true },
    ],
    alerts.map((a) => [a.id, a.type, a.severity, a.status, windowCell(a.window_start, tz), a.title]),
  );
}

export function thresholdRuleJson(r: ThresholdRule) {
  return { name: r.name, scope: scopeLabel(r.scope), period: r.period, amount: r.amount, notify: r.recipients };
}

export function renderThresholdRules(rules: ThresholdRule[]): string {
  return renderTable(
    [
      { header: 'name' },
      { header: 'scope' },
      { header: 'period' },
      { header: 'amount', align: 'right' },
      { header: 'notify' },
    ],
    rules.map((r) => [r.name, scopeLabel(r.scope), r.period, money(r.amount), r.recipients.join(', ')]),
  );
}
