// A gateway's pre-call check on a running server: answered from memory (the kept check context, the
// usage ledger, the holds) without waiting for the connection, and held in the same synchronous step
// that confirms nothing it read has changed. What is not in memory yet (a new user, a new window, the
// first check after a CLI command wrote) is read in the connection's turn, as before.
//
// Why two concurrent checks cannot both spend the last dollar: a check notes the ledger's and the holds'
// versions before it reads; it holds only if both are unchanged when it is done, with no await between
// that comparison and the hold. A batch that commits rows (and ends their holds) bumps the ledger's
// version, a hold bumps the holds' version: a check that raced either reads again.
import type { Db } from '../../db/database.js';
import { StatementRefused, withoutStatements } from '../../db/statement-guard.js';
import { checkRequest, type CheckRequest, type CheckResult } from '../limits/check.js';
import { withTurn, type ServeState } from './state.js';

export type CheckInput = Omit<CheckRequest, 'held' | 'usage'>;

export interface HeldCheck {
  result: CheckResult;
  heldUntil: Date | null;
}

/** Attempts from memory before a check takes the connection's turn (a busy server keeps changing). */
const MEMORY_ATTEMPTS = 3;

/** Checks `req` and holds its worst case under `requestId` when allowed. */
export async function checkAndHold(s: ServeState, req: CheckInput, requestId: string): Promise<HeldCheck> {
  // While a check reads in its turn, others wait for it there: they would only make it read again.
  if (s.checksInTurn === 0)
    for (let attempt = 0; attempt < MEMORY_ATTEMPTS; attempt++) {
      try {
        const held = await withoutStatements(() => attemptCheck(s, s.db, req, requestId));
        if (held) return held;
      } catch (e) {
        if (e instanceof StatementRefused) break;
        throw e;
      }
    }
  s.checksInTurn++;
  try {
    return await withTurn(s, async (db) => {
      for (;;) {
        const held = await attemptCheck(s, db, req, requestId);
        if (held) return held;
      }
    });
  } finally {
    s.checksInTurn--;
  }
}

/** One check; undefined when usage or holds changed while it read (the caller reads again). */
async function attemptCheck(s: ServeState, db: Db, req: CheckInput, requestId: string): Promise<HeldCheck | undefined> {
  const versions = `${s.ledger.version}:${s.holds.version}`;
  const result = await checkRequest(db, { ...req, held: s.holds.held, usage: s.ledger.sourceAt(req.at) });
  if (`${s.ledger.version}:${s.holds.version}` !== versions) return undefined;
  const heldUntil = result.allowed && result.holds.length > 0 ? s.holds.hold(requestId, result.holds) : null;
  return { result, heldUntil };
}
