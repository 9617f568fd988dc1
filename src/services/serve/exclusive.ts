// One DuckDB connection serves every request of `costctl serve`. A connection runs one statement at a time
// and one transaction at a time, and Db.transaction's nesting is per connection: two requests interleaving
// their statements would join each other's transactions. So every use of the connection takes a turn,
// first come first served. The turn is also what makes a check and its hold one step (holds.ts).

import { AsyncLocalStorage } from 'node:async_hooks';

export class Turns {
  // Work already in its turn that asks for another (a command that opens the database twice, nested)
  // runs at once: waiting behind itself would never end.
  private readonly inTurn = new AsyncLocalStorage<true>();

  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Runs fn when every earlier turn has finished; its result or error is the caller's. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTurn.getStore()) return fn();
    return this.queue(fn);
  }

  /**
   * Queues fn as a turn of its own even when called from inside a turn (work a turn leaves for later,
   * which it must not await: it runs after the current turn ends).
   */
  queue<T>(fn: () => Promise<T>): Promise<T> {
    this.waiting++;
    const turn = this.tail.then(() => this.inTurn.run(true, fn));
    const settled = turn.finally(() => this.waiting--);
    // The next turn waits for this one to settle, whether it succeeded or failed.
    this.tail = settled.catch(() => undefined);
    return turn;
  }

  /** Turns queued or running: what /status reports, and what a drain waits to reach 0. */
  get pending(): number {
    return this.waiting;
  }

  /** Resolves when every turn queued so far has finished. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
