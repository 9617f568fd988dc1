// Budgets: a company-wide total for a period, allocated to departments or projects. Spent is derived
// from the usage rows (all usage for the total; the allocation's scope for each allocation).
import { DataError, UsageError } from '../../errors.js';
import type { Db, Row } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { percentage, remaining, thresholdState, type QuotaState } from '../../domain/thresholds.js';
import { fromSqlTimestamp, sqlTimestamp } from '../../domain/time.js';
import { PERIODS, periodWindow, type Period } from '../../domain/windows.js';
import { usageInWindows, usageOf, type UsageWindow } from './status.js';
import { ENFORCEMENTS, isEmail, type Enforcement } from './quotas.js';

export const ALLOCATION_TARGETS = ['department', 'project'] as const;
export type AllocationTarget = (typeof ALLOCATION_TARGETS)[number];

export interface Allocation {
  targetType: AllocationTarget;
  target: string;
  amount: Decimal;
}

export interface BudgetSpec {
  name: string;
  period: Period;
  total: Decimal;
  allocations: Allocation[];
  warning: Decimal;
  enforcement: Enforcement;
  recipients: string[];
}

export interface Budget extends BudgetSpec {
  id: number;
  createdAt: Date;
}

export const BUDGET_DEFAULTS = { warning: new Decimal('0.80'), enforcement: 'hard' as Enforcement };

/** `sales=30000` (a department), `project:apollo=5000`, `department:sales=30000`. */
export function parseAllocation(text: string, flag = '--allocate'): Allocation {
  const eq = text.lastIndexOf('=');
  const bad = () =>
    new UsageError(
      `${flag}: "${text}" must be TARGET=AMOUNT, TARGET a department or department:NAME / project:NAME (e.g. sales=30000)`,
    );
  if (eq <= 0) throw bad();
  let target = text.slice(0, eq).trim();
  const amountText = text.slice(eq + 1).trim();
  let targetType: AllocationTarget = 'department';
  const colon = target.indexOf(':');
  if (colon >= 0) {
    const type = target.slice(0, colon) as AllocationTarget;
    if (!ALLOCATION_TARGETS.includes(type)) {
      throw new UsageError(`${flag}: "${text}": allocations go to a department or a project, not "${type}"`);
    }
    targetType = type;
    target = target.slice(colon + 1).trim();
  }
  if (!target) throw bad();
  if (!/^\d+(\.\d+)?$/.test(amountText))
    throw new UsageError(`${flag}: "${text}": amount "${amountText}" must be a decimal number ≥ 0`);
  return { targetType, target, amount: new Decimal(amountText) };
}

export function validateBudgetSpec(spec: BudgetSpec): void {
  const fail = (m: string) => {
    throw new UsageError(m);
  };
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/.test(spec.name)) {
    fail(`--name: "${spec.name}" must be 1–100 letters, digits, . _ - @ and start with a letter or digit`);
  }
  if (!PERIODS.includes(spec.period)) fail(`--period: "${spec.period}" must be one of ${PERIODS.join(', ')}`);
  if (spec.total.isNegative()) fail(`--total: ${spec.total.toFixed()} is negative`);
  if (spec.total.decimalPlaces() > 18) fail(`--total: ${spec.total.toFixed()} has more than 18 decimals`);
  if (spec.warning.lte(0) || spec.warning.gt(1))
    fail(`--warning: ${spec.warning.toFixed()} must be a fraction above 0 and at most 1`);
  if (!ENFORCEMENTS.includes(spec.enforcement)) fail(`--enforcement: "${spec.enforcement}" must be hard or soft`);
  const seen = new Set<string>();
  let allocated = new Decimal(0);
  for (const a of spec.allocations) {
    const key = `${a.targetType}:${a.target}`;
    if (seen.has(key)) fail(`--allocate: ${key} is allocated twice`);
    seen.add(key);
    allocated = allocated.plus(a.amount);
  }
  if (allocated.gt(spec.total)) {
    fail(
      `--allocate: allocations add up to ${allocated.toFixed()}, more than --total ${spec.total.toFixed()}; lower them or raise the total`,
    );
  }
  for (const r of spec.recipients)
    if (!isEmail(r)) fail(`--notify: "${r}" is not an email address (e.g. finance@example.com)`);
}

export async function addBudget(db: Db, spec: BudgetSpec, now: Date): Promise<Budget> {
  validateBudgetSpec(spec);
  if (await db.one('SELECT 1 AS x FROM budgets WHERE name = ?', [spec.name])) {
    throw new UsageError(`--name: budget "${spec.name}" already exists (names are unique)`);
  }
  await db.transaction(async () => {
    const row = await db.one<{ id: string }>(
      `INSERT INTO budgets (name, period, total, warning_threshold, enforcement, recipients, created_at, updated_at)
       VALUES (?, ?, ?::DECIMAL(38,18), ?::DECIMAL(38,18), ?, ?::JSON, ?::TIMESTAMP, ?::TIMESTAMP) RETURNING id::VARCHAR AS id`,
      [
        spec.name,
        spec.period,
        spec.total.toFixed(),
        spec.warning.toFixed(),
        spec.enforcement,
        JSON.stringify(spec.recipients),
        sqlTimestamp(now),
        sqlTimestamp(now),
      ],
    );
    for (const a of spec.allocations) {
      await db.run('INSERT INTO budget_allocations VALUES (?, ?, ?, ?::DECIMAL(38,18))', [
        row!.id,
        a.targetType,
        a.target,
        a.amount.toFixed(),
      ]);
    }
  });
  return getBudget(db, spec.name);
}

export async function listBudgets(db: Db): Promise<Budget[]> {
  const rows = await db.all(`SELECT ${BUDGET_SELECT} FROM budgets ORDER BY name`);
  if (rows.length === 0) return [];
  const allocations = await db.all(
    `SELECT budget_id::VARCHAR AS budget_id, target_type, target, amount::VARCHAR AS amount FROM budget_allocations ORDER BY target_type, target`,
  );
  return rows.map((r) =>
    budgetFromRow(
      r,
      allocations.filter((a) => a.budget_id === r.id),
    ),
  );
}

/** Columns of a budget row, as budgetFromRow reads them. */
export const BUDGET_SELECT = `id::VARCHAR AS id, name, period, total::VARCHAR AS total, warning_threshold::VARCHAR AS warning, enforcement,
  recipients::VARCHAR AS recipients, created_at::VARCHAR AS created_at`;

export function budgetFromRow(r: Row, allocations: Array<Row>): Budget {
  return {
    id: Number(r.id),
    name: r.name,
    period: r.period,
    total: new Decimal(r.total),
    warning: new Decimal(r.warning),
    enforcement: r.enforcement,
    recipients: JSON.parse(r.recipients),
    createdAt: fromSqlTimestamp(r.created_at),
    allocations: allocations.map((a) => ({
      targetType: a.target_type,
      target: a.target,
      amount: new Decimal(a.amount),
    })),
  };
}

export async function getBudget(db: Db, name: string): Promise<Budget> {
  const b = (await listBudgets(db)).find((x) => x.name === name);
  if (!b) throw new DataError(`budget "${name}" does not exist (see \`costctl budgets list\`)`);
  return b;
}

export async function removeBudget(db: Db, name: string): Promise<void> {
  const b = await getBudget(db, name);
  await db.transaction(async () => {
    await db.run('DELETE FROM budget_allocations WHERE budget_id = ?', [b.id]);
    await db.run('DELETE FROM budgets WHERE id = ?', [b.id]);
  });
}

export interface AllocationStatus {
  target_type: AllocationTarget;
  target: string;
  amount: Decimal;
  spent: Decimal;
  remaining: Decimal;
  percentage: Decimal | null;
  state: QuotaState;
  unpriced_rows: number;
}

export interface BudgetStatus {
  name: string;
  period: Period;
  window_start: Date;
  window_end: Date | null;
  total: Decimal;
  spent: Decimal;
  remaining: Decimal;
  percentage: Decimal | null;
  /** ok, warning (at the warning threshold) or exceeded (spent reached the total). */
  state: QuotaState;
  allocated: Decimal;
  unallocated: Decimal;
  allocations: AllocationStatus[];
  unpriced_rows: number;
  warning_threshold: Decimal;
  enforcement: Enforcement;
  recipients: string[];
}

/** A budget has no critical level: critical is set at the total itself, where exceeded takes over. */
export function budgetState(spent: Decimal, limit: Decimal, warning: Decimal): QuotaState {
  return thresholdState(spent, limit, { warning, critical: new Decimal(1) });
}

/** The usage windows of budgets at `at`: `b<id>:total` and `b<id>:<type>:<target>`. */
export function budgetWindows(budgets: Budget[], at: Date, tz: string): Array<UsageWindow & { end: Date | null }> {
  const out: Array<UsageWindow & { end: Date | null }> = [];
  for (const b of budgets) {
    const w = periodWindow(b.period, at, tz);
    out.push({
      key: `b${b.id}:total`,
      scope: { type: 'global', value: null },
      model: null,
      start: w.start,
      end: w.end,
    });
    for (const a of b.allocations) {
      out.push({
        key: `b${b.id}:${a.targetType}:${a.target}`,
        scope: { type: a.targetType, value: a.target },
        model: null,
        start: w.start,
        end: w.end,
      });
    }
  }
  return out;
}

export function budgetStatusOf(
  b: Budget,
  windows: Array<UsageWindow & { end: Date | null }>,
  usage: Map<string, ReturnType<typeof usageOf>>,
): BudgetStatus {
  const w = windows.find((x) => x.key === `b${b.id}:total`)!;
  const total = usageOf(usage, w.key);
  const allocated = b.allocations.reduce((s, a) => s.plus(a.amount), new Decimal(0));
  return {
    name: b.name,
    period: b.period,
    window_start: w.start,
    window_end: w.end,
    total: b.total,
    spent: total.cost,
    remaining: remaining(total.cost, b.total),
    percentage: percentage(total.cost, b.total),
    state: budgetState(total.cost, b.total, b.warning),
    allocated,
    unallocated: b.total.minus(allocated),
    allocations: b.allocations.map((a) => {
      const u = usageOf(usage, `b${b.id}:${a.targetType}:${a.target}`);
      return {
        target_type: a.targetType,
        target: a.target,
        amount: a.amount,
        spent: u.cost,
        remaining: remaining(u.cost, a.amount),
        percentage: percentage(u.cost, a.amount),
        state: budgetState(u.cost, a.amount, b.warning),
        unpriced_rows: u.unpricedRows,
      };
    }),
    unpriced_rows: total.unpricedRows,
    warning_threshold: b.warning,
    enforcement: b.enforcement,
    recipients: b.recipients,
  };
}

/** Every budget as it stands at `at` (windows in zone `tz`). */
export async function budgetStatuses(db: Db, options: { at: Date; tz: string }): Promise<BudgetStatus[]> {
  const budgets = await listBudgets(db);
  const windows = budgetWindows(budgets, options.at, options.tz);
  const usage = await usageInWindows(db, windows, options.at);
  return budgets.map((b) => budgetStatusOf(b, windows, usage));
}

/** `budgets show`: one budget and where it and its allocations stand as of `at`. */
export async function budgetDetail(
  db: Db,
  name: string,
  input: { at: Date; tz: string },
): Promise<{ budget: Budget; status: BudgetStatus }> {
  const budget = await getBudget(db, name);
  const status = (await budgetStatuses(db, input)).find((s) => s.name === budget.name)!;
  return { budget, status };
}
