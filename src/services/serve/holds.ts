// Holds: what allowed checks keep against a limit's window until their request is recorded. Without them
// two checks that run before either request is recorded both see the same usage and can both spend the
// last dollar. A hold ends when a record with the check's request id is committed, or after its time-out
// (the request was never made, or its record went elsewhere).
import { Decimal } from '../../domain/money.js';
import type { CheckHold } from '../limits/check.js';

interface Held {
  holds: CheckHold[];
  timer: NodeJS.Timeout;
}

export class HoldLedger {
  private readonly totals = new Map<string, Decimal>();
  private readonly byRequest = new Map<string, Held>();

  /**
   * Changes whenever a hold is added (not when one ends: a check that counted a hold that has since
   * ended only over-counts). A check compares it before it holds (checks.ts).
   */
  version = 0;

  constructor(readonly timeoutMs: number) {}

  /** The sum held against one limit window (the key check.ts gives it). */
  held = (key: string): Decimal => this.totals.get(key) ?? new Decimal(0);

  /** Holds `holds` for `requestId`; a second check with the same id replaces the first one's holds. */
  hold(requestId: string, holds: CheckHold[]): Date {
    this.release(requestId);
    this.version++;
    for (const h of holds) this.totals.set(h.key, this.held(h.key).plus(h.amount));
    const timer = setTimeout(() => this.release(requestId), this.timeoutMs);
    timer.unref();
    this.byRequest.set(requestId, { holds, timer });
    return new Date(Date.now() + this.timeoutMs);
  }

  /** Ends the holds of `requestId` (its record is committed, or its time is up). */
  release(requestId: string): void {
    const held = this.byRequest.get(requestId);
    if (!held) return;
    clearTimeout(held.timer);
    this.byRequest.delete(requestId);
    for (const h of held.holds) {
      const left = this.held(h.key).minus(h.amount);
      if (left.lte(0)) this.totals.delete(h.key);
      else this.totals.set(h.key, left);
    }
  }

  get requests(): number {
    return this.byRequest.size;
  }
}
