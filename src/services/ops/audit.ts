// The audit trail: who changed what, when, with which arguments (secrets masked on the way in).
import type { Db } from '../../db/database.js';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  command: string;
  args: string[];
}

export async function listAudit(db: Db, limit: number): Promise<AuditEntry[]> {
  const rows = await db.all(
    `SELECT id, strftime(occurred_at, '%Y-%m-%dT%H:%M:%SZ') AS at, actor, command, args::VARCHAR AS args FROM audit ORDER BY id DESC LIMIT ?`,
    [limit],
  );
  return rows.map((r) => ({ id: Number(r.id), at: r.at, actor: r.actor, command: r.command, args: JSON.parse(r.args) }));
}
