// exportRelation on a real DuckDB file: exact money in every format, spreadsheet-safe CSV, stable masks,
// and no half-written file when the export fails.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { exportRelation, maskSalt } from '../../../src/db/export.js';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import type { Db } from '../../../src/db/database.js';

// Amounts chosen so a binary float would show: 0.1 + 0.2 and a sub-nano price.
const AMOUNTS = ['0.100000000000000000', '0.200000000000000000', '0.000000050000000001'];
const EXPECTED_TOTAL = '0.300000050000000001'; // by hand: 0.1 + 0.2 + 0.000000050000000001

async function seed(db: Db): Promise<void> {
  await db.run(
    `CREATE TABLE t (user_id VARCHAR, account_id VARCHAR, note VARCHAR, amount DECIMAL(38,18), tokens BIGINT, tags JSON)`,
  );
  const rows: [string | null, string, string, string, number, string][] = [
    ['alice', 'acct-1', '=HYPERLINK("http://x")', AMOUNTS[0]!, 10, '{"k":"v"}'],
    ['bob', 'acct-1', '-5', AMOUNTS[1]!, 20, '{}'],
    [null, 'acct-2', '@SUM(A1)', AMOUNTS[2]!, 30, '[]'],
  ];
  for (const r of rows) await db.run('INSERT INTO t VALUES (?, ?, ?, ?::DECIMAL(38,18), ?, ?::JSON)', r);
}

const ALL = 'SELECT * FROM t ORDER BY tokens';

describe('exportRelation', () => {
  it('writes CSV with exact decimals and neutralized formula cells', async () => {
    const out = join(tempDir(), 'out.csv');
    await withTempDb(async (db) => {
      await seed(db);
      expect(await exportRelation(db, { selectSql: ALL, out, format: 'csv' })).toBe(3);
    });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('user_id,account_id,note,amount,tokens,tags');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    // A plain negative number is data, not a formula: left alone.
    expect(lines[2]!.split(',')[2]).toBe('-5');
    expect(lines[3]!.split(',')[2]).toBe("'@SUM(A1)");
    const total = lines.slice(1).reduce((s, l) => s.plus(l.split(',')[3]!), new Decimal(0));
    expect(total.toFixed()).toBe(new Decimal(EXPECTED_TOTAL).toFixed());
  });

  it('writes JSON as an array with money and bigints as strings', async () => {
    const out = join(tempDir(), 'out.json');
    await withTempDb(async (db) => {
      await seed(db);
      await exportRelation(db, { selectSql: ALL, out, format: 'json' });
    });
    const rows = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>[];
    expect(rows.map((r) => r.amount)).toEqual(AMOUNTS);
    expect(rows.map((r) => r.tokens)).toEqual(['10', '20', '30']);
    expect(rows[0]!.tags).toEqual({ k: 'v' });
    // JSON is not a spreadsheet: text stays as written.
    expect(rows[0]!.note).toBe('=HYPERLINK("http://x")');
  });

  it('an empty relation is an empty JSON array and a header-only CSV', async () => {
    const dir = tempDir();
    await withTempDb(async (db) => {
      await seed(db);
      expect(
        await exportRelation(db, {
          selectSql: 'SELECT * FROM t WHERE tokens > ?',
          params: [1000],
          out: join(dir, 'e.json'),
          format: 'json',
        }),
      ).toBe(0);
      expect(
        await exportRelation(db, {
          selectSql: 'SELECT * FROM t WHERE tokens > ?',
          params: [1000],
          out: join(dir, 'e.csv'),
          format: 'csv',
        }),
      ).toBe(0);
    });
    expect(JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8'))).toEqual([]);
    expect(readFileSync(join(dir, 'e.csv'), 'utf8').trim()).toBe('user_id,account_id,note,amount,tokens,tags');
  });

  it('writes Parquet that reads back with the exact DECIMAL total', async () => {
    const out = join(tempDir(), 'out.parquet');
    await withTempDb(async (db) => {
      await seed(db);
      expect(await exportRelation(db, { selectSql: ALL, out, format: 'parquet' })).toBe(3);
      const back = await db.one(
        `SELECT sum(amount)::VARCHAR AS total, typeof(sum(amount)) AS type, count(*) AS n FROM read_parquet('${out}')`,
      );
      expect(back).toEqual({ total: EXPECTED_TOTAL, type: 'DECIMAL(38,18)', n: '3' });
    });
  });

  it('binds params into the exported query', async () => {
    const out = join(tempDir(), 'p.json');
    await withTempDb(async (db) => {
      await seed(db);
      expect(
        await exportRelation(db, {
          selectSql: 'SELECT user_id FROM t WHERE account_id = ?',
          params: ['acct-1'],
          out,
          format: 'json',
        }),
      ).toBe(2);
    });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([{ user_id: 'alice' }, { user_id: 'bob' }]);
  });

  it('masks named id columns with salted sha256 pseudonyms that are stable across exports', async () => {
    const dir = tempDir();
    const path = join(dir, 'db.duckdb');
    let salt = '';
    await withTempDb(async (db) => {
      await seed(db);
      await exportRelation(db, {
        selectSql: ALL,
        out: join(dir, 'a.json'),
        format: 'json',
        mask: ['user_id', 'account_id'],
      });
      salt = await maskSalt(db);
    }, path);
    // A second session on the same file gives the same pseudonyms.
    await withTempDb(async (db) => {
      await exportRelation(db, {
        selectSql: ALL,
        out: join(dir, 'b.json'),
        format: 'json',
        mask: ['user_id', 'account_id'],
      });
    }, path);
    const a = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')) as Record<string, string | null>[];
    const b = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as Record<string, string | null>[];
    expect(b).toEqual(a);
    const hash = (v: string) => createHash('sha256').update(`${salt}:${v}`).digest('hex').slice(0, 12);
    expect(a.map((r) => r.user_id)).toEqual([`u-${hash('alice')}`, `u-${hash('bob')}`, null]);
    expect(a.map((r) => r.account_id)).toEqual([`a-${hash('acct-1')}`, `a-${hash('acct-1')}`, `a-${hash('acct-2')}`]);
    expect(salt).toMatch(/^[0-9a-f]{32}$/);
  });

  it('another database gets other pseudonyms (a per-database salt)', async () => {
    const dir = tempDir();
    for (const name of ['x', 'y']) {
      await withTempDb(async (db) => {
        await seed(db);
        await exportRelation(db, { selectSql: ALL, out: join(dir, `${name}.csv`), format: 'csv', mask: ['user_id'] });
      });
    }
    const first = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n')[1]!.split(',')[0];
    expect(first('x.csv')).toMatch(/^u-[0-9a-f]{12}$/);
    expect(first('x.csv')).not.toBe(first('y.csv'));
  });

  it('refuses to mask a column the relation does not have (exit 2)', async () => {
    const out = join(tempDir(), 'm.csv');
    await withTempDb(async (db) => {
      await seed(db);
      await expect(exportRelation(db, { selectSql: ALL, out, format: 'csv', mask: ['email'] })).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining('cannot mask "email"'),
      });
    });
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an output folder that does not exist, or a folder as the file (exit 2)', async () => {
    const dir = tempDir();
    await withTempDb(async (db) => {
      await seed(db);
      await expect(
        exportRelation(db, { selectSql: ALL, out: join(dir, 'nope', 'x.csv'), format: 'csv' }),
      ).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/nope.*does not exist/),
      });
      await expect(exportRelation(db, { selectSql: ALL, out: dir, format: 'csv' })).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining('is a folder'),
      });
    });
  });

  it('a failing query leaves an existing file untouched and no temp file behind (exit 1)', async () => {
    const dir = tempDir();
    const out = join(dir, 'keep.csv');
    writeFileSync(out, 'old content\n');
    await withTempDb(async (db) => {
      await seed(db);
      // The error surfaces while rows are produced, after COPY has opened its output.
      await expect(
        exportRelation(db, {
          selectSql: `SELECT CASE WHEN tokens > 15 THEN error('boom') ELSE tokens END AS x FROM t`,
          out,
          format: 'csv',
        }),
      ).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining('boom') });
    });
    expect(readFileSync(out, 'utf8')).toBe('old content\n');
    expect(readdirSync(dir)).toEqual(['keep.csv']);
  });
});
