// The pre-call check's answer as JSON: one shape for `costctl check --json` and a server's `POST check`.
import type { CheckResult } from './check.js';

/** The check as `costctl check --json` writes it (a server's answer adds what it holds). */
export function checkJson(r: CheckResult) {
  return {
    allowed: r.allowed,
    estimated_cost: r.estimated_cost,
    reason: r.reason,
    quotas: r.quotas,
    budgets: r.budgets,
    warnings: r.warnings,
    model: r.model,
    price_rules: r.price_rules,
    unpriced_parts: r.unpriced_parts,
  };
}
