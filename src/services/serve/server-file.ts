// The file a running server leaves beside its database (`costctl.duckdb.serve.json`): where it listens, its
// pid, and the token the CLI uses to send its commands there. Mode 0600: the token is the owner's.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export interface ServerFile {
  pid: number;
  url: string;
  token: string;
  db: string;
  started_at: string;
}

export const serverFilePath = (dbPath: string) => `${dbPath}.serve.json`;

/** Writes the file atomically (a reader never sees half of it), readable only by its owner. */
export function writeServerFile(dbPath: string, file: ServerFile): void {
  const path = serverFilePath(dbPath);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Removes the file if it is still this process's (a newer server may have replaced it). */
export function removeServerFile(dbPath: string, pid = process.pid): void {
  if (readServerFile(dbPath)?.pid === pid) rmSync(serverFilePath(dbPath), { force: true });
}

export function readServerFile(dbPath: string): ServerFile | undefined {
  const path = serverFilePath(dbPath);
  if (!existsSync(path)) return undefined;
  try {
    const f = JSON.parse(readFileSync(path, 'utf8')) as ServerFile;
    return typeof f.url === 'string' && typeof f.token === 'string' && Number.isInteger(f.pid) ? f : undefined;
  } catch {
    return undefined;
  }
}

/** The process is alive (signal 0 tests without signalling). A file left by a killed server is stale. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The admin token in `path`, made on first start (mode 0600) if the file does not exist. */
export function adminToken(path: string): { token: string; created: boolean } {
  if (existsSync(path)) {
    const token = readFileSync(path, 'utf8').trim();
    if (token.length < 16) throw new Error(`${path}: the token must be at least 16 characters`);
    return { token, created: false };
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { token, created: true };
}
