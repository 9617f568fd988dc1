// Work that must not touch the database (a server's pre-call check answered from memory) runs inside
// withoutStatements: any statement it would run is refused with StatementRefused instead, so the caller
// learns it needs its turn on the connection and runs the work again there. Scoped by async context, so
// other requests' statements on the same connection at the same time are not affected.
import { AsyncLocalStorage } from 'node:async_hooks';

const memoryOnly = new AsyncLocalStorage<true>();

export class StatementRefused extends Error {
  constructor(readonly sql: string) {
    super(`a statement was refused: this work runs from memory only (${sql.slice(0, 60)})`);
  }
}

/** Runs fn with statements refused (Db throws StatementRefused for any). */
export function withoutStatements<T>(fn: () => T): T {
  return memoryOnly.run(true, fn);
}

/** Called by Db before each statement. */
export function refuseIfMemoryOnly(sql: string): void {
  if (memoryOnly.getStore()) throw new StatementRefused(sql);
}
