// Custom threshold rules: "spend of a scope over an absolute amount in a window". Stored here, evaluated
// by evaluate.ts.
import type { Db } from '../../db/database.js';
import { Decimal } from '../../domain/money.js';
import { sqlTimestamp } from '../../domain/time.js';
import { PERIODS, type Period } from '../../domain/windows.js';
import { UsageError } from '../../errors.js';
import { isEmail, type Scope } from '../limits/quotas.js';

export interface ThresholdRule {
  id: number;
  name: string;
  scope: Scope;
  period: Period;
  amount: Decimal;
  recipients: string[];
}

export async function listThresholdRules(db: Db): Promise<ThresholdRule[]> {
  const rows = await db.all(
    `SELECT id::VARCHAR AS id, name, scope_type, scope_value, period, amount::VARCHAR AS amount, recipients::VARCHAR AS recipients FROM threshold_rules ORDER BY name`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    scope: { type: r.scope_type, value: r.scope_value },
    period: r.period,
    amount: new Decimal(r.amount),
    recipients: JSON.parse(r.recipients),
  }));
}

export async function addThresholdRule(db: Db, rule: Omit<ThresholdRule, 'id'>, now: Date): Promise<void> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/.test(rule.name))
    throw new UsageError(`rule name "${rule.name}" must be 1–100 letters, digits, . _ - @`);
  if (!PERIODS.includes(rule.period))
    throw new UsageError(`--period: "${rule.period}" must be one of ${PERIODS.join(', ')}`);
  if (rule.amount.isNegative()) throw new UsageError(`--amount: ${rule.amount.toFixed()} is negative`);
  for (const r of rule.recipients) if (!isEmail(r)) throw new UsageError(`--notify: "${r}" is not an email address`);
  if (await db.one('SELECT 1 AS x FROM threshold_rules WHERE name = ?', [rule.name]))
    throw new UsageError(`rule "${rule.name}" already exists`);
  await db.run(
    `INSERT INTO threshold_rules (name, scope_type, scope_value, period, amount, recipients, created_at) VALUES (?, ?, ?, ?, ?::DECIMAL(38,18), ?::JSON, ?::TIMESTAMP)`,
    [
      rule.name,
      rule.scope.type,
      rule.scope.value,
      rule.period,
      rule.amount.toFixed(),
      JSON.stringify(rule.recipients),
      sqlTimestamp(now),
    ],
  );
}

export async function removeThresholdRule(db: Db, name: string): Promise<boolean> {
  const rows = await db.all('DELETE FROM threshold_rules WHERE name = ? RETURNING id', [name]);
  return rows.length > 0;
}
