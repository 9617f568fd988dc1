// Backup and restore round trip on real DuckDB files: every row and every exact total survives.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDatabase, type Db } from '../../../src/db/database.js';
import { raiseAlert } from '../../../src/services/alerts/state.js';
import { backupDatabase, restoreDatabase, summarizeTables } from '../../../src/services/ops/backup.js';
import { queueMessage } from '../../../src/notify/outbox.js';
import { tempDbPath, tempDir } from '../../helpers/temp.js';
import { addTokenModel } from '../../helpers/catalog.js';
import { insertBilling, insertPricedUsage } from '../../helpers/seed.js';

const NOW = new Date('2026-03-05T00:00:00Z');
const open = <T>(path: string, fn: (db: Db) => Promise<T>) => withDatabase(path, { lockTimeoutMs: 5_000 }, fn);

async function seed(db: Db) {
  await addTokenModel(db, 'gpt-x', 'openai', { input: '2.000001', output: '8' });
  await insertPricedUsage(db, [
    { request_id: 'a', ts: '2026-03-01 10:00:00', model: 'gpt-x', input_tokens: 123_456_789, output_tokens: 7 },
    {
      request_id: 'b',
      ts: '2026-03-02 10:00:00',
      model: 'nope',
      input_tokens: 1,
      reported_cost: '0.000000000000000001',
    },
  ]);
  await insertBilling(db, [
    { line_key: 'L1', start: '2026-03-01 00:00:00', provider: 'openai', billed_cost: '246.913634000000000123' },
  ]);
  await raiseAlert(
    db,
    { type: 'threshold', subject: 's', windowStart: NOW, severity: 'warning', title: 't', message: 'm' },
    NOW,
  );
  await queueMessage(
    db,
    {
      dedupeKey: 'alert:1',
      kind: 'alert',
      recipients: ['a@example.com'],
      content: { subject: 's', text: 't', html: 'h' },
    },
    NOW,
  );
}

const allRows = (db: Db, table: string) => db.all(`SELECT * FROM ${table} ORDER BY ALL`).then((r) => JSON.stringify(r));

describe('backup and restore', () => {
  it('round trip keeps every row, every exact total and the sequences', async () => {
    const src = tempDbPath();
    const dir = join(tempDir(), 'bk');
    const before = await open(src, async (db) => {
      await seed(db);
      await backupDatabase(db, dir, NOW);
      return {
        summary: await summarizeTables(db),
        usage: await allRows(db, 'usage'),
        billing: await allRows(db, 'billing_lines'),
        prices: await allRows(db, 'model_prices'),
      };
    });
    expect(readdirSync(dir)).toContain('costctl-backup.json');
    const target = join(tempDir(), 'restored.duckdb');
    const result = await restoreDatabase(dir, target, { force: false, lockTimeoutMs: 5_000 });
    expect(result.replaced).toBe(false);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    await open(target, async (db) => {
      expect(await summarizeTables(db)).toEqual(before.summary);
      expect(await allRows(db, 'usage')).toBe(before.usage);
      expect(await allRows(db, 'billing_lines')).toBe(before.billing);
      expect(await allRows(db, 'model_prices')).toBe(before.prices);
      // The restored sequence continues after the restored rows.
      const { id } = await raiseAlert(
        db,
        { type: 'threshold', subject: 's2', windowStart: NOW, severity: 'info', title: 't', message: 'm' },
        NOW,
      );
      expect(id).toBe(2);
    });
    // Independent check of one total: 123,456,789 × $2.000001/1M + 7 × $8/1M = 246.913701456789 + 0.000056
    expect(before.summary.usage!.sums.total_cost).toBe('246.913757456789000000');
  });

  it('refuses to overwrite an existing database unless forced, and leaves it intact', async () => {
    const src = tempDbPath();
    const dir = join(tempDir(), 'bk');
    await open(src, async (db) => {
      await seed(db);
      await backupDatabase(db, dir, NOW);
    });
    const target = tempDbPath();
    await open(target, (db) => addTokenModel(db, 'keep-me', 'x', { input: '1', output: '1' }));
    await expect(restoreDatabase(dir, target, { force: false, lockTimeoutMs: 5_000 })).rejects.toThrow(
      /already exists; pass --force/,
    );
    expect(await open(target, (db) => db.all('SELECT name FROM models'))).toEqual([{ name: 'keep-me' }]);
    const forced = await restoreDatabase(dir, target, { force: true, lockTimeoutMs: 5_000 });
    expect(forced.replaced).toBe(true);
    expect(await open(target, (db) => db.all('SELECT name FROM models ORDER BY 1'))).toEqual([{ name: 'gpt-x' }]);
  });

  it('rejects a non-empty backup folder, a folder that is not a backup, and a tampered backup', async () => {
    const src = tempDbPath();
    const busy = tempDir();
    writeFileSync(join(busy, 'x'), 'x');
    await open(src, async (db) => {
      await seed(db);
      await expect(backupDatabase(db, busy, NOW)).rejects.toThrow(/is not empty/);
      await expect(backupDatabase(db, join(busy, 'x'), NOW)).rejects.toThrow(/is a file; give a new or empty folder/);
      await expect(backupDatabase(db, join(busy, 'no', 'such'), NOW)).rejects.toThrow(
        /parent folder of .* does not exist/,
      );
    });
    await expect(
      restoreDatabase(tempDir(), join(tempDir(), 'n.duckdb'), { force: false, lockTimeoutMs: 5_000 }),
    ).rejects.toThrow(/is not a costctl backup/);
    const dir = join(tempDir(), 'bk');
    await open(src, (db) => backupDatabase(db, dir, NOW));
    // Drop a table's data file: the import fails and no target file is left behind.
    const parquet = readdirSync(dir).find((f) => f.startsWith('usage'))!;
    writeFileSync(join(dir, parquet), 'not parquet');
    const target = join(tempDir(), 'n.duckdb');
    await expect(restoreDatabase(dir, target, { force: false, lockTimeoutMs: 5_000 })).rejects.toThrow(
      /could not be imported|does not match/,
    );
    expect(existsSync(target)).toBe(false);
  });
});
