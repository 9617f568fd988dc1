// The user directory: which department, organization and project a user belongs to. Usage rows that
// do not say so themselves are attributed through it. A CSV is checked whole before anything is stored.
import { parse } from 'csv-parse/sync';
import { DataError } from '../../errors.js';
import type { Db } from '../../db/database.js';
import { sqlTimestamp } from '../../domain/time.js';
import { isEmail } from './quotas.js';
import { refreshRollup } from './rollup.js';

export interface DirectoryEntry {
  user_id: string;
  department: string | null;
  organization: string | null;
  project: string | null;
  email: string | null;
}

export const DIRECTORY_COLUMNS = ['user_id', 'department', 'organization', 'project', 'email'] as const;

/** Parses a directory CSV; every problem is reported as `file:line: column …`, all at once. */
export function parseDirectoryCsv(file: string, text: string): DirectoryEntry[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true });
  } catch (e) {
    throw new DataError(`${file}: not a readable CSV: ${(e as Error).message}`);
  }
  const errors: string[] = [];
  const header = records[0] ? Object.keys(records[0].record) : [];
  if (records.length > 0) {
    const unknown = header.filter((c) => !(DIRECTORY_COLUMNS as readonly string[]).includes(c));
    if (unknown.length)
      errors.push(`${file}:1: unknown column(s) ${unknown.join(', ')} (expected ${DIRECTORY_COLUMNS.join(', ')})`);
    if (!header.includes('user_id')) errors.push(`${file}:1: missing column user_id`);
  }
  const seen = new Map<string, number>();
  const entries: DirectoryEntry[] = [];
  for (const { record: r, info } of records) {
    const line = info.lines;
    const userId = r.user_id ?? '';
    const cell = (c: string) => (r[c] ? r[c]! : null);
    if (!userId) errors.push(`${file}:${line}: user_id is empty (every row needs the user it describes)`);
    else if (seen.has(userId))
      errors.push(
        `${file}:${line}: user_id "${userId}" already appears on line ${seen.get(userId)} (one row per user)`,
      );
    else seen.set(userId, line);
    const email = cell('email');
    if (email && !isEmail(email))
      errors.push(`${file}:${line}: email "${email}" is not an email address (e.g. ana@example.com)`);
    entries.push({
      user_id: userId,
      department: cell('department'),
      organization: cell('organization'),
      project: cell('project'),
      email,
    });
  }
  if (errors.length) {
    const shown = errors.slice(0, 20).join('\n  ');
    throw new DataError(
      `${file}: ${errors.length} problem(s), nothing imported:\n  ${shown}${errors.length > 20 ? '\n  …' : ''}`,
    );
  }
  return entries;
}

/** Adds or replaces the given users in one transaction; users not in the file are kept. */
export async function importDirectory(
  db: Db,
  entries: DirectoryEntry[],
  now: Date,
): Promise<{ added: number; updated: number }> {
  return db.transaction(async () => {
    const existing = new Set(
      (await db.all<{ user_id: string }>('SELECT user_id FROM directory')).map((r) => r.user_id),
    );
    let added = 0;
    for (let i = 0; i < entries.length; i += 200) {
      const chunk = entries.slice(i, i + 200);
      await db.run(
        `INSERT OR REPLACE INTO directory (user_id, department, organization, project, email, updated_at) VALUES ${chunk
          .map(() => '(?, ?, ?, ?, ?, ?::TIMESTAMP)')
          .join(', ')}`,
        chunk.flatMap((e) => [e.user_id, e.department, e.organization, e.project, e.email, sqlTimestamp(now)]),
      );
    }
    for (const e of entries) if (!existing.has(e.user_id)) added++;
    // Rows without their own department / organization / project are attributed through the directory.
    await refreshRollup(db, now);
    return { added, updated: entries.length - added };
  });
}

export async function listDirectory(db: Db): Promise<DirectoryEntry[]> {
  return db.all<DirectoryEntry>(
    'SELECT user_id, department, organization, project, email FROM directory ORDER BY user_id',
  );
}

export async function directoryEntry(db: Db, userId: string): Promise<DirectoryEntry | undefined> {
  return db.one<DirectoryEntry>(
    'SELECT user_id, department, organization, project, email FROM directory WHERE user_id = ?',
    [userId],
  );
}

/** Usage and directory columns that hold each scope's values (account: usage only). */
const SCOPE_COLUMNS: Record<string, { usage: string; directory: string | null }> = {
  user: { usage: 'user_id', directory: 'user_id' },
  department: { usage: 'department', directory: 'department' },
  organization: { usage: 'organization', directory: 'organization' },
  project: { usage: 'project', directory: 'project' },
  account: { usage: 'account_id', directory: null },
};

/**
 * Does any usage row or directory entry name this scope value? A quota on a name nobody has (a typo) would
 * never count anything; the command warns.
 */
export async function scopeValueKnown(db: Db, type: string, value: string | null): Promise<boolean> {
  const cols = SCOPE_COLUMNS[type];
  if (!cols || value === null) return true;
  const inUsage = await db.one(`SELECT 1 AS x FROM usage WHERE ${cols.usage} = ? LIMIT 1`, [value]);
  if (inUsage) return true;
  if (!cols.directory) return false;
  return (await db.one(`SELECT 1 AS x FROM directory WHERE ${cols.directory} = ? LIMIT 1`, [value])) !== undefined;
}
