// The dashboard for people: headline figures, quotas and alerts, cost by type, top users, 30-day chart.
import { formatMoney, formatMoneyColumn } from '../domain/money.js';
import type { Dashboard } from '../services/reports/dashboard.js';
import { columnChart } from './chart.js';
import { formatCount } from './count.js';
import { money, renderTable } from './table.js';
import { tableWidth, truncateEnd } from './terminal.js';

/** A free-text line cut to the width, like a table's text cells ($COLUMNS; whole with --wide). */
function fitLine(line: string): string {
  const width = tableWidth();
  return width ? truncateEnd(line, width) : line;
}

export function renderDashboard(d: Dashboard): string {
  const mom = d.mom_change_pct === null ? 'n/a' : `${d.mom_change_pct > 0 ? '+' : ''}${d.mom_change_pct}%`;
  const lines = [
    `costctl dashboard — ${d.today.date} (${d.tz})`,
    '',
    renderTable(
      [{ header: '' }, { header: 'cost', align: 'right' }, { header: '' }],
      [
        [
          'today',
          money(d.today.cost),
          `${formatCount(d.today.requests)} requests, ${formatCount(d.today.tokens)} tokens${d.today.unpriced_requests ? `, ${formatCount(d.today.unpriced_requests)} unpriced` : ''}`,
        ],
        [
          'this month',
          money(d.month.cost),
          `since ${d.month.from}; ${mom} vs last month to the same point (${formatMoney(d.last_month.cost_to_same_point)})`,
        ],
        ['last month', money(d.last_month.cost), `${d.last_month.from} … ${d.last_month.to}`],
      ],
    ),
    // Unit costs beside the totals would force the totals to their many digits: they get a line of their own.
    `unit cost this month: ${d.month.cost_per_request ? formatMoney(d.month.cost_per_request) : '—'} per request, ${d.month.cost_per_1k_tokens ? formatMoney(d.month.cost_per_1k_tokens) : '—'} per 1K tokens`,
    '',
    `quotas: ${d.quotas.total} (${d.quotas.ok} ok, ${d.quotas.warning} warning, ${d.quotas.critical} critical, ${d.quotas.exceeded} exceeded)` +
      (d.quotas.attention.length
        ? `\n${d.quotas.attention.map((q) => `  ${q.state.padEnd(8)} ${q.name}: ${formatMoney(q.used)} of ${formatMoney(q.limit)}`).join('\n')}`
        : ''),
    // Says how many of the open alerts it lists, so 8 open and 5 shown does not read as a miscount.
    `open alerts: ${d.alerts.open}` +
      (d.alerts.latest.length < d.alerts.open
        ? ` (latest ${d.alerts.latest.length} below; all: costctl alerts list --status open)`
        : '') +
      (d.alerts.latest.length
        ? `\n${d.alerts.latest.map((a) => fitLine(`  #${a.id} ${a.severity} ${a.title}`)).join('\n')}`
        : ''),
  ];
  if (d.cost_by_type.length) {
    lines.push(
      '',
      'cost by type (this month)',
      renderTable(
        [{ header: 'cost type' }, { header: 'cost', align: 'right' }],
        zipColumn(
          d.cost_by_type.map((c) => [c.cost_type]),
          formatMoneyColumn(d.cost_by_type.map((c) => c.total_cost)),
        ),
      ),
    );
  }
  if (d.top_users.length) {
    lines.push(
      '',
      'top users (this month)',
      renderTable(
        [{ header: 'user' }, { header: 'cost', align: 'right' }, { header: 'requests', align: 'right' }],
        (() => {
          const costs = formatMoneyColumn(d.top_users.map((u) => u.total_cost));
          return d.top_users.map((u, i) => [u.user, costs[i]!, formatCount(u.requests)]);
        })(),
      ),
    );
  }
  const trend = d.daily_trend;
  const max = trend.reduce((m, t) => (t.total_cost.gt(m.total_cost) ? t : m), trend[0]!);
  lines.push(
    '',
    'daily cost, last 30 days',
    columnChart(
      trend.map((t) => t.total_cost.toNumber()),
      {
        height: 6,
        maxLabel: `max ${formatMoney(max.total_cost)}`,
        first: trend[0]!.date.slice(5),
        last: trend[trend.length - 1]!.date.slice(5),
      },
    ),
  );
  return lines.join('\n');
}

/** Each row with its cell of one formatted column appended. */
function zipColumn(rows: string[][], column: string[]): string[][] {
  return rows.map((r, i) => [...r, column[i]!]);
}
