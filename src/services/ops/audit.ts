// The audit trail: who changed what, when, with which arguments (secrets masked on the way in).
import type { Context } from '../../context.js';
import type { Db } from '../../db/database.js';
import { maskArgs } from '../../domain/mask.js';
import { sqlTimestamp } from '../../domain/time.js';
import { ensureRollup } from '../limits/rollup.js';
import { describeHeal, healTornWrites } from './heal.js';

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
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    command: r.command,
    args: JSON.parse(r.args),
  }));
}

/**
 * What follows every write a command makes, in the same session: the quota rollup follows the reporting
 * zone and the quota model filters, so a write after either changed (or the first write after an upgrade)
 * rebuilds it (see ../limits/rollup.ts); then the audit row, with secret arguments masked.
 */
export async function recordCommandWrite(
  db: Db,
  ctx: Pick<Context, 'config' | 'now' | 'actor' | 'invocation'>,
): Promise<void> {
  await ensureRollup(db, ctx.config.tz, ctx.now());
  await db.run('INSERT INTO audit (occurred_at, actor, command, args) VALUES (?::TIMESTAMP, ?, ?, ?::JSON)', [
    sqlTimestamp(ctx.now()),
    ctx.actor,
    ctx.invocation.command,
    JSON.stringify(maskArgs(ctx.invocation.args)),
  ]);
}

/**
 * Heals a torn write found on open (see ./heal.ts): one line on stderr, and an audit entry under the
 * command that found it, so an operator can see when and why rows went away.
 */
export async function healOnOpen(db: Db, ctx: Pick<Context, 'now' | 'actor' | 'invocation' | 'err'>): Promise<void> {
  const report = await healTornWrites(db, ctx.now());
  if (!report) return;
  const lines = describeHeal(report);
  ctx.err(`costctl: database ${db.path}: ${lines.join('; ')}`);
  await db.run('INSERT INTO audit (occurred_at, actor, command, args) VALUES (?::TIMESTAMP, ?, ?, ?::JSON)', [
    sqlTimestamp(ctx.now()),
    ctx.actor,
    `heal (on open, before: ${ctx.invocation.command || 'costctl'})`,
    JSON.stringify(lines),
  ]);
}
