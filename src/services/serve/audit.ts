// The audit trail of the server's own writes (records): one row per committed batch, naming who sent it.
import type { Db } from '../../db/database.js';
import { sqlTimestamp } from '../../domain/time.js';

export async function recordServeWrite(
  db: Db,
  w: { now: Date; actors: string[]; what: string; count: number },
): Promise<void> {
  if (w.count === 0) return;
  const actors = [...new Set(w.actors)].sort();
  await db.run('INSERT INTO audit (occurred_at, actor, command, args) VALUES (?::TIMESTAMP, ?, ?, ?::JSON)', [
    sqlTimestamp(w.now),
    actors.join(','),
    `serve ${w.what}`,
    JSON.stringify([`${w.count} stored`]),
  ]);
}
