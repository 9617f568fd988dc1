// Budgets for people and programs: the list, and where each stands with its allocations.
import { type Decimal, formatMoney } from '../domain/money.js';
import type { Budget, BudgetStatus } from '../services/limits/budgets.js';
import { localStamp } from './quotas.js';
import { money, renderTable } from './table.js';

export function budgetJson(b: Budget) {
  return {
    name: b.name,
    period: b.period,
    total: b.total,
    warning_threshold: b.warning,
    enforcement: b.enforcement,
    notify: b.recipients,
    allocations: b.allocations.map((a) => ({ target_type: a.targetType, target: a.target, amount: a.amount })),
    created_at: b.createdAt,
  };
}

export function renderBudgets(budgets: Budget[]): string {
  return renderTable(
    [
      { header: 'name' },
      { header: 'period' },
      { header: 'total', align: 'right' },
      { header: 'allocations' },
      { header: 'warn' },
      { header: 'enforce' },
    ],
    budgets.map((b) => [
      b.name,
      b.period,
      money(b.total),
      b.allocations.map((a) => `${a.targetType}:${a.target} ${formatMoney(a.amount)}`).join('\n'),
      b.warning.toFixed(),
      b.enforcement,
    ]),
  );
}

export function renderBudgetStatus(statuses: BudgetStatus[], tz: string): string {
  const pct = (p: Decimal | null) => (p === null ? '—' : `${p.toFixed(2)}%`);
  const rows = statuses.flatMap((s) => [
    [
      s.name,
      'total',
      `${localStamp(s.window_start, tz)} → ${localStamp(s.window_end, tz)}`,
      money(s.spent),
      money(s.total),
      money(s.remaining),
      pct(s.percentage),
      s.state,
      s.unpriced_rows ? `${s.unpriced_rows} unpriced` : '',
    ],
    ...s.allocations.map((a) => [
      '',
      `${a.target_type}:${a.target}`,
      '',
      money(a.spent),
      money(a.amount),
      money(a.remaining),
      pct(a.percentage),
      a.state,
      a.unpriced_rows ? `${a.unpriced_rows} unpriced` : '',
    ]),
  ]);
  return renderTable(
    [
      { header: 'budget' },
      { header: 'line' },
      { header: `window (${tz})` },
      { header: 'spent', align: 'right' },
      { header: 'budget', align: 'right' },
      { header: 'remaining', align: 'right' },
      { header: '%', align: 'right' },
      { header: 'state' },
      { header: 'note' },
    ],
    rows,
  );
}
