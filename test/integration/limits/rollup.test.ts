// The quota rollup is a cache of the usage rows: for any window it must give exactly what a scan of the
// rows gives. Checked over generated rows with directory attribution, unpriced rows, model filters, rows
// dated after `at` (so whole buckets cannot be used), in zones with DST and with :30 / :45 offsets, for
// calendar windows of every period and for windows started by a reset at an odd instant; built at once
// and built incrementally; and the pre-call check gives the same answer with and without it.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { Decimal } from '../../../src/domain/money.js';
import { requestUnits } from '../../../src/domain/pricing.js';
import { BEGINNING_OF_TIME, periodWindow, PERIODS } from '../../../src/domain/windows.js';
import { checkRequest } from '../../../src/services/limits/check.js';
import { usageInWindows, type UsageWindow, type WindowUsage } from '../../../src/services/limits/status.js';
import { addQuota, QUOTA_DEFAULTS, type QuotaSpec, type Scope } from '../../../src/services/limits/quotas.js';
import { applyRollup, rebuildRollup, rollupState, verifyRollup } from '../../../src/services/limits/rollup.js';
import { usageFromRollup } from '../../../src/services/limits/rollup-read.js';
import { withTempDb } from '../../helpers/db.js';
import { addDollarModel, insertUsage, type UsageRow, lcg, TEST_DIRECTORY } from './quota-helpers.js';

const DIRECTORY = TEST_DIRECTORY;

/** Rows from mid-December 2025 to late March 2026: a year end, month ends, New York's DST start. */
function generateRows(seed: number, n: number): UsageRow[] {
  const rand = lcg(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const base = Date.parse('2025-12-15T00:00:00Z');
  return Array.from({ length: n }, (_, i) => ({
    id: `g${seed}-${i}`,
    // Millisecond timestamps, and a cluster in one hour so window edges cut through busy buckets.
    ts: new Date(
      i % 7 === 0
        ? Date.parse('2026-03-09T11:00:00Z') + Math.floor(rand() * 3_600_000)
        : base + Math.floor(rand() * 98 * 86_400_000),
    ).toISOString(),
    user: pick(['u1', 'u2', 'u3', 'u4', null]),
    department: pick([null, null, 'sales', 'ops']),
    project: pick([null, null, 'apollo', 'zeus']),
    account: pick([null, 'wx-1', 'wx-2']),
    model: pick(['m-a', 'm-b', 'm-b']),
    cost: rand() < 0.1 ? null : (Math.floor(rand() * 1e6) / 1e4).toFixed(4),
    input: Math.floor(rand() * 5000),
    output: Math.floor(rand() * 500),
  }));
}

const SCOPES: Scope[] = [
  { type: 'user', value: 'u1' },
  { type: 'department', value: 'sales' },
  { type: 'project', value: 'apollo' },
  { type: 'account', value: 'wx-1' },
  { type: 'global', value: null },
  { type: 'user', value: 'nobody' },
];

/** Calendar windows of every period at `at` in `tz`, plus windows started by resets at odd instants. */
function windowsAt(at: Date, tz: string): UsageWindow[] {
  const starts = PERIODS.map((p) => periodWindow(p, at, tz).start);
  starts.push(
    new Date(at.getTime() - 3 * 86_400_000 - 1_234_567),
    new Date(at.getTime() - 17 * 60_000),
    new Date('2026-03-02T00:00:00Z'),
    at,
  );
  const out: UsageWindow[] = [];
  // Distinct starts: a window key is its scope, start and model (Monday 9 March is a day and a week start).
  for (const scope of SCOPES)
    for (const start of new Map(starts.map((s) => [s.getTime(), s])).values())
      for (const model of [null, 'm-b'])
        out.push({ key: `${scope.type}:${scope.value}:${start.toISOString()}:${model}`, scope, model, start });
  return out;
}

const flat = (m: Map<string, WindowUsage>) =>
  new Map(
    [...m].map(([k, v]) => [
      k,
      {
        cost: v.cost.toFixed(),
        tokens: v.tokens.toFixed(),
        requests: v.requests.toFixed(),
        rows: v.rows,
        unpriced: v.unpricedRows,
      },
    ]),
  );

function spec(
  name: string,
  scope: Scope,
  period: 'daily' | 'weekly' | 'monthly',
  limit: number,
  model: string | null = null,
): QuotaSpec {
  return {
    ...QUOTA_DEFAULTS,
    name,
    scope,
    period,
    limit: new Decimal(limit),
    dailyLimit: period === 'daily' ? null : new Decimal(limit / 4),
    hourlyLimit: new Decimal(limit / 20),
    model,
    recipients: [],
  };
}

async function seed(db: Db, rows: UsageRow[]): Promise<void> {
  for (const [user, d] of Object.entries(DIRECTORY)) {
    await db.run('INSERT INTO directory VALUES (?, ?, NULL, ?, NULL, now()::TIMESTAMP)', [
      user,
      d.department,
      d.project,
    ]);
  }
  await insertUsage(db, rows);
  // A quota filtering on m-b makes the rollup keep m-b's own entries.
  await addQuota(db, spec('mb', { type: 'global', value: null }, 'monthly', 1e9, 'm-b'), new Date());
}

async function expectAgreement(db: Db, tz: string, ats: Date[]): Promise<number> {
  let compared = 0;
  for (const at of ats) {
    const windows = windowsAt(at, tz);
    const raw = flat(await usageInWindows(db, windows, at));
    const rolled = await usageFromRollup(db, windows, at, tz);
    expect(rolled, `rollup built for ${tz}`).toBeDefined();
    expect(rolled!.rest).toEqual([]);
    const got = flat(rolled!.usage);
    const bad = [...new Set([...raw.keys(), ...got.keys()])].filter(
      (k) => JSON.stringify(raw.get(k)) !== JSON.stringify(got.get(k)),
    );
    if (process.env.ROLLUP_DEBUG)
      for (const k of bad.slice(0, 8)) console.log(tz, at.toISOString(), k, raw.get(k)?.rows, got.get(k)?.rows);
    expect(got, `${tz} at ${at.toISOString()}`).toEqual(raw);
    compared += raw.size;
  }
  return compared;
}

// Before the data ends (rows after `at` exist in most buckets), on a DST day, and after all of it.
const ATS = ['2026-03-09T11:37:12.345Z', '2026-03-08T07:10:00Z', '2026-02-01T00:00:00Z', '2026-04-02T00:00:00Z'].map(
  (s) => new Date(s),
);

describe('usage rollup', () => {
  for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe']) {
    it(`equals a scan of the rows for every window (${tz})`, async () => {
      await withTempDb(async (db) => {
        await seed(db, generateRows(7, 500));
        expect((await rebuildRollup(db, tz, new Date())).built).toBe(true);
        expect(await verifyRollup(db)).toBe(0);
        expect(await expectAgreement(db, tz, ATS)).toBeGreaterThan(150);
      });
    });
  }

  it('kept incrementally, equals one built from scratch', async () => {
    await withTempDb(async (db) => {
      const rows = generateRows(11, 400);
      await seed(db, rows.slice(0, 150));
      await rebuildRollup(db, 'Asia/Kolkata', new Date());
      // Two more batches, the way ingest adds a file and record adds one row.
      await insertUsage(db, rows.slice(150, 399));
      await applyRollup(db, 'u.request_id IN (SELECT request_id FROM usage WHERE source = ? AND request_id >= ?)', [
        'test',
        '',
      ]);
      expect(await verifyRollup(db)).toBeGreaterThan(0); // everything was added twice: the check can fail
      await rebuildRollup(db, 'Asia/Kolkata', new Date());
      await insertUsage(db, rows.slice(399));
      await applyRollup(db, 'u.request_id = ?', [rows[399]!.id]);
      expect(await verifyRollup(db)).toBe(0);
      expect(await expectAgreement(db, 'Asia/Kolkata', ATS)).toBeGreaterThan(200);
    });
  });

  it('a window inside one hour counts only its rows, not the whole hour', async () => {
    await withTempDb(async (db) => {
      const rows = ['10:55', '11:30', '11:45', '12:10'].map((t, i) => ({
        id: `e${i}`,
        ts: `2026-03-09T${t}:00Z`,
        user: 'u1',
        cost: '1',
      }));
      await seed(db, rows);
      await rebuildRollup(db, 'UTC', new Date());
      const at = new Date('2026-03-09T11:40:00Z');
      const w = (start: string): UsageWindow => ({
        key: start,
        scope: { type: 'user', value: 'u1' },
        model: null,
        start: new Date(`2026-03-09T${start}:00Z`),
      });
      // Reset at 11:20: the 11:00 bucket's rows are all after it, but one is after `at` too.
      const windows = [w('11:20'), w('11:35'), w('11:00'), w('10:50')];
      const got = (await usageFromRollup(db, windows, at, 'UTC'))!.usage;
      expect([...got].map(([k, u]) => [k, u.rows])).toEqual([
        ['11:20', 1],
        ['11:00', 1],
        ['10:50', 2],
      ]);
    });
  });

  it('is not used for another zone or an untracked model filter', async () => {
    await withTempDb(async (db) => {
      await seed(db, generateRows(3, 100));
      expect(await usageFromRollup(db, windowsAt(ATS[0]!, 'UTC'), ATS[0]!, 'UTC')).toBeUndefined(); // not built
      await rebuildRollup(db, 'UTC', new Date());
      expect(await rollupState(db)).toEqual({ tz: 'UTC', models: ['m-b'] });
      expect(await usageFromRollup(db, windowsAt(ATS[0]!, 'Asia/Tokyo'), ATS[0]!, 'Asia/Tokyo')).toBeUndefined();
      const w: UsageWindow = {
        key: 'k',
        scope: { type: 'global', value: null },
        model: 'm-a',
        start: BEGINNING_OF_TIME,
      };
      expect((await usageFromRollup(db, [w], ATS[0]!, 'UTC'))!.rest).toEqual([w]);
    });
  });

  it('the pre-call check answers the same with and without it', async () => {
    await withTempDb(async (db) => {
      await seed(db, generateRows(5, 300));
      await addDollarModel(db);
      const quota = (name: string, scope: Scope, period: 'daily' | 'weekly' | 'monthly', limit: number) =>
        addQuota(db, spec(name, scope, period, limit), new Date());
      await quota('user', { type: 'user', value: 'u1' }, 'monthly', 400);
      await quota('dept', { type: 'department', value: 'sales' }, 'weekly', 900);
      await quota('proj', { type: 'project', value: 'apollo' }, 'daily', 100);
      // Token and request quotas too: the rollup reads only the metrics the windows need.
      await addQuota(
        db,
        { ...spec('user-tokens', { type: 'user', value: 'u1' }, 'monthly', 4_000_000), metric: 'tokens' },
        new Date(),
      );
      await addQuota(
        db,
        { ...spec('dept-requests', { type: 'department', value: 'sales' }, 'weekly', 4000), metric: 'requests' },
        new Date(),
      );
      const ask = () =>
        checkRequest(db, {
          user: 'u1',
          model: 'm-dollar',
          units: requestUnits({ inputTokens: 1000n, outputTokens: 500n }),
          at: ATS[0]!,
          tz: 'Europe/Berlin',
          allowUnpriced: false,
        });
      const scanned = await ask();
      await rebuildRollup(db, 'Europe/Berlin', new Date());
      expect(await ask()).toEqual(scanned);
      for (const name of ['user', 'user-tokens', 'dept-requests'])
        expect(scanned.quotas.some((q) => q.name === name && q.used.gt(0))).toBe(true);
    });
  });
});
