// The pre-call check as a running server answers it: check and hold in one turn, so no other check runs
// between reading the usage and holding this one's worst case. `POST check` and a `costctl check` the CLI
// sent to the server both go through here, so both hold and both say what they hold.
import type { Db } from '../../db/database.js';
import { type CheckRequest, type CheckResult, checkRequest } from '../limits/check.js';
import type { HoldLedger } from './holds.js';

/** The check's answer with what it holds (the API's `POST check` body and `costctl check --json` on a server). */
export interface HeldCheck {
  allowed: boolean;
  request_id: string;
  model: string;
  estimated_cost: CheckResult['estimated_cost'];
  reason: string | null;
  quotas: CheckResult['quotas'];
  budgets: CheckResult['budgets'];
  warnings: string[];
  held: { limit: string; amount: CheckResult['holds'][number]['amount'] }[];
  held_until: Date | null;
}

/** Call inside the database's turn (withTurn, or a command's withDb on a server's lent connection). */
export async function checkAndHold(
  db: Db,
  holds: HoldLedger,
  req: Omit<CheckRequest, 'held'>,
  requestId: string,
): Promise<{ result: CheckResult; answer: HeldCheck }> {
  const r = await checkRequest(db, { ...req, held: holds.held });
  const heldUntil = r.allowed && r.holds.length > 0 ? holds.hold(requestId, r.holds) : null;
  return {
    result: r,
    answer: {
      allowed: r.allowed,
      request_id: requestId,
      model: r.model,
      estimated_cost: r.estimated_cost,
      reason: r.reason,
      quotas: r.quotas,
      budgets: r.budgets,
      warnings: r.warnings,
      held: heldUntil ? r.holds.map((h) => ({ limit: h.limit, amount: h.amount })) : [],
      held_until: heldUntil,
    },
  };
}
