// Per-statement timing for finding where a command's time goes: COSTCTL_TRACE_SQL=1 prints each
// statement's wall time, its length (planning grows with it), when it began and its start to stderr
// when it finishes.
// COSTCTL_TRACE_SQL=full prints the whole statement instead, for re-running it under EXPLAIN ANALYZE.
// Off, it costs one boolean test.
import { performance } from 'node:perf_hooks';

const TRACING = Boolean(process.env.COSTCTL_TRACE_SQL);
const WHOLE = process.env.COSTCTL_TRACE_SQL === 'full';

/** Runs `run`, and when tracing is on prints how long it took beside the statement's start. */
export async function traced<R>(sql: string, run: () => Promise<R>): Promise<R> {
  if (!TRACING) return run();
  const started = performance.now();
  try {
    return await run();
  } finally {
    const ms = performance.now() - started;
    const flat = sql.replace(/\s+/g, ' ').trim();
    const head = WHOLE ? flat : flat.slice(0, 140);
    // `at`: when the statement began, in ms since the process started (what lies between statements).
    const at = started.toFixed(0).padStart(6);
    process.stderr.write(
      `[sql ${ms.toFixed(1).padStart(8)} ms ${String(sql.length).padStart(6)} chars at ${at}] ${head}\n`,
    );
  }
}
