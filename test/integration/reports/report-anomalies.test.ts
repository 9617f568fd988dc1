// Anomaly scans per dimension and per time zone: a user whose spend jumps while the company total barely
// moves is found only by the per-user baseline; the same rows fall on the right local day in UTC and in
// Asia/Shanghai, and the alert subject names that day.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { listAlerts } from '../../../src/services/alerts/state.js';
import { runAnomalyScan } from '../../../src/services/reports/anomalies.js';
import { withTempDb } from '../../helpers/db.js';
import { insertUsage, type UsageRowInput } from '../../helpers/seed.js';

const AT = new Date('2026-02-16T12:00:00Z');

/** Six weeks of alice $10, bob $5, carol $5 a day at 20:00 UTC; on 2026-02-12 bob spends $9 (+80 %, total +20 %). */
async function load(db: Db): Promise<void> {
  const rows: UsageRowInput[] = [];
  for (let t = Date.UTC(2026, 0, 5); t < Date.UTC(2026, 1, 16); t += 86_400_000) {
    const ts = new Date(t + 20 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const spike = ts.startsWith('2026-02-12');
    rows.push({ ts, user: 'alice', model: 'gpt-a', department: 'sales', cost: '10' });
    rows.push({ ts, user: 'bob', model: 'gpt-b', department: 'support', cost: spike ? '9' : '5' });
    rows.push({ ts, user: 'carol', model: 'gpt-a', department: 'sales', cost: '5' });
  }
  await insertUsage(db, rows);
}

describe('anomaly scan by dimension and zone', () => {
  it('a +20 % total is not an anomaly at medium sensitivity; bob +80 % on his own baseline is', async () => {
    await withTempDb(async (db) => {
      await load(db);
      const total = await runAnomalyScan(db, { at: AT, tz: 'UTC', grains: ['day'] });
      expect(total.anomalies).toEqual([]);
      // A report only reads: it says bob's spike is new (not alerted yet) and stores nothing.
      const read = await runAnomalyScan(db, { at: AT, tz: 'UTC', grains: ['day'], dimension: 'user' });
      expect(read.anomalies.map((a) => [a.key, a.new])).toEqual([['bob', true]]);
      expect(await listAlerts(db, { type: 'anomaly' })).toEqual([]);
      expect((await db.one('SELECT count(*)::INTEGER AS n FROM anomalies'))!.n).toBe(0);
      // The anomaly-scan job stores and alerts it, once.
      const byUser = await runAnomalyScan(db, { at: AT, tz: 'UTC', grains: ['day'], dimension: 'user', store: true });
      expect(
        byUser.anomalies.map((a) => [
          a.dimension,
          a.key,
          a.period,
          a.direction,
          a.expected.toFixed(),
          a.actual.toFixed(),
          a.impact.toFixed(),
          a.impact_pct,
        ]),
      ).toEqual([['user', 'bob', '2026-02-12', 'spike', '5', '9', '4', 80]]);
      expect(byUser.anomalies[0]!.contributors.model[0]).toMatchObject({ key: 'gpt-b' });
      const alerts = await listAlerts(db, { type: 'anomaly' });
      expect(alerts.map((a) => a.subject)).toEqual(['anomaly:day:2026-02-12:user:bob']);
      expect((alerts[0]!.details as any).impact).toBe('4');
    });
  });

  it('a holiday calendar: the listed day is neither scanned nor alerted', async () => {
    await withTempDb(async (db) => {
      await load(db);
      const options = { at: AT, tz: 'UTC', grains: ['day' as const], dimension: 'user' as const };
      const scan = await runAnomalyScan(db, { ...options, holidays: ['2026-02-12'] });
      expect(scan.anomalies).toEqual([]);
      expect(await listAlerts(db, { type: 'anomaly' })).toEqual([]);
      // Another day listed changes nothing about the 12th.
      const other = await runAnomalyScan(db, { ...options, holidays: ['2026-02-11'] });
      expect(other.anomalies.map((a) => a.period)).toEqual(['2026-02-12']);
    });
  });

  it('the same rows in Asia/Shanghai: the spike is on the local 13th, and the total scan finds nothing', async () => {
    await withTempDb(async (db) => {
      await load(db);
      const scan = await runAnomalyScan(db, {
        at: AT,
        tz: 'Asia/Shanghai',
        grains: ['day'],
        dimension: 'user',
        store: true,
      });
      // 2026-02-12 20:00 UTC is 2026-02-13 04:00 in Shanghai (UTC+8).
      expect(scan.anomalies.map((a) => [a.key, a.period, a.start.toISOString()])).toEqual([
        ['bob', '2026-02-13', '2026-02-12T16:00:00.000Z'],
      ]);
      expect((await listAlerts(db, { type: 'anomaly' })).map((a) => a.subject)).toEqual([
        'anomaly:day:2026-02-13:user:bob',
      ]);
    });
  });

  it('filtered scans are reported but neither stored nor alerted', async () => {
    await withTempDb(async (db) => {
      await load(db);
      const scan = await runAnomalyScan(db, {
        at: AT,
        tz: 'UTC',
        grains: ['day'],
        filters: { user: ['bob'] },
        store: true,
      });
      expect(scan.anomalies.map((a) => a.period)).toEqual(['2026-02-12']);
      expect(scan.created).toBe(0);
      expect(await listAlerts(db, { type: 'anomaly' })).toEqual([]);
      expect((await db.one('SELECT count(*)::INTEGER AS n FROM anomalies'))!.n).toBe(0);
    });
  });
});
