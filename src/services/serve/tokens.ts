// Role tokens (`costctl serve token add|list|revoke`): made here, printed once, kept only as a SHA-256.
// The server looks a bearer token up in what it read of serve_tokens, and reads the table again only
// after a statement on its connection wrote to it (Db.writeStamp), so `token add` or `token revoke`
// sent to a running server counts from the next request on.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { sqlTimestamp } from '../../domain/time.js';
import { UsageError } from '../../errors.js';

export const ROLES = ['gateway', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who a request comes from: a named token's holder, or `admin` (the server's own token file). */
export interface Caller {
  name: string;
  role: Role;
  /** A viewer sees user and account ids as they are (else as the export's pseudonyms). */
  unmasked: boolean;
}

export interface TokenInfo {
  name: string;
  role: Role;
  unmasked: boolean;
  created_at: Date;
  revoked_at: Date | null;
}

export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('hex');

const NAME = /^[A-Za-z0-9][\w.@-]{0,63}$/;

/** Makes a token for `name`; returns it (the only time it is ever seen). */
export async function addToken(
  db: Db,
  spec: { name: string; role: Role; unmasked: boolean },
  now: Date,
): Promise<{ token: string; info: TokenInfo }> {
  if (!NAME.test(spec.name))
    throw new UsageError(
      `token name "${spec.name}" must be 1-64 letters, digits, . _ @ - (starting with a letter or digit)`,
    );
  if (spec.name === 'admin')
    throw new UsageError('"admin" names the server\'s own token (its token file); choose another name');
  if (spec.unmasked && spec.role !== 'viewer')
    throw new UsageError(`--unmasked is for viewer tokens (a ${spec.role} token never reads masked ids)`);
  if (await db.one('SELECT 1 AS x FROM serve_tokens WHERE name = ?', [spec.name]))
    throw new UsageError(`token "${spec.name}" already exists (revoke it first, or choose another name)`);
  const token = `cct_${randomBytes(24).toString('base64url')}`;
  await db.run('INSERT INTO serve_tokens VALUES (?, ?, ?, ?, ?::TIMESTAMP, NULL)', [
    spec.name,
    spec.role,
    spec.unmasked,
    tokenDigest(token),
    sqlTimestamp(now),
  ]);
  return { token, info: { ...spec, created_at: now, revoked_at: null } };
}

export async function listTokens(db: Db): Promise<TokenInfo[]> {
  const rows = await db.all(
    `SELECT name, role, unmasked, epoch_ms(created_at)::VARCHAR AS created_ms, epoch_ms(revoked_at)::VARCHAR AS revoked_ms
     FROM serve_tokens ORDER BY name`,
  );
  return rows.map((r) => ({
    name: r.name,
    role: r.role,
    unmasked: Boolean(r.unmasked),
    created_at: new Date(Number(r.created_ms)),
    revoked_at: r.revoked_ms ? new Date(Number(r.revoked_ms)) : null,
  }));
}

/** Revokes `name` from now on; an unknown or already revoked name is a usage error. */
export async function revokeToken(db: Db, name: string, now: Date): Promise<void> {
  const row = await db.one<{ revoked: boolean }>(
    'SELECT revoked_at IS NOT NULL AS revoked FROM serve_tokens WHERE name = ?',
    [name],
  );
  if (!row) throw new UsageError(`no token "${name}" (see \`costctl serve token list\`)`);
  if (row.revoked) throw new UsageError(`token "${name}" is already revoked`);
  await db.run('UPDATE serve_tokens SET revoked_at = ?::TIMESTAMP WHERE name = ?', [sqlTimestamp(now), name]);
}

/** The live tokens by digest, read again when serve_tokens was written to on this connection. */
export class TokenBook {
  private stamp = -1;
  private byDigest = new Map<string, Caller>();

  /** True when the table may have changed since it was read (refresh, in a turn, before lookup). */
  stale(db: Db): boolean {
    return db.writeStamp(['serve_tokens']) !== this.stamp;
  }

  async refresh(db: Db): Promise<void> {
    const stamp = db.writeStamp(['serve_tokens']);
    const rows = await db.all('SELECT name, role, unmasked, token_sha256 FROM serve_tokens WHERE revoked_at IS NULL');
    this.byDigest = new Map(
      rows.map((r) => [r.token_sha256, { name: r.name, role: r.role as Role, unmasked: Boolean(r.unmasked) }]),
    );
    this.stamp = stamp;
  }

  lookup(token: string): Caller | undefined {
    return this.byDigest.get(tokenDigest(token));
  }
}
