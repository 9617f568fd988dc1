// Scores the anomaly detector on real series: the labelled anomaly windows of four NAB series (hourly
// sums of their 5/30-minute values), and spikes injected into BurstGPT conversation traffic loaded as
// usage rows and scanned by the real service (stored, alerted, with contributors).
import { describe, expect, it } from 'vitest';
import { anomalyEvents, HOURLY, scoreSeries } from '../../../src/domain/anomaly.js';
import { Decimal } from '../../../src/domain/money.js';
import { listAlerts } from '../../../src/services/alerts/state.js';
import { runAnomalyScan } from '../../../src/services/reports/anomalies.js';
import { withTempDb } from '../../helpers/db.js';
import { burstGptHourly, nabHourly } from '../../helpers/series.js';
import { insertUsage, type UsageRowInput } from '../../helpers/seed.js';
import { lcg } from '../../helpers/random.js';

const NAB_FILES = [
  'realAWSCloudwatch/elb_request_count_8c0756.csv',
  'realTweets/Twitter_volume_AAPL.csv',
  'realTweets/Twitter_volume_GOOG.csv',
  'realKnownCause/nyc_taxi.csv',
];
const HOUR = 3_600_000;

describe('anomaly detection scored on real series', () => {
  it('NAB labelled windows: recall and false alarms at medium sensitivity', () => {
    let windows = 0;
    let hit = 0;
    let falseAlarms = 0;
    let hours = 0;
    for (const file of NAB_FILES) {
      const s = nabHourly(file);
      const scores = scoreSeries(s.values, HOURLY, 'medium');
      const firstScored = scores[0]?.index ?? s.values.length;
      const at = (i: number) => s.start.getTime() + i * HOUR;
      const events = anomalyEvents(scores);
      const overlaps = (e: { first: number; last: number }, [a, b]: [Date, Date]) =>
        at(e.last) + HOUR > a.getTime() && at(e.first) <= b.getTime();
      // A window that ends before the detector has any history cannot be found by any causal method.
      const scorable = s.windows.filter(([, b]) => b.getTime() >= at(firstScored));
      const found = scorable.filter((w) => events.some((e) => overlaps(e, w))).length;
      const extra = events.filter((e) => !s.windows.some((w) => overlaps(e, w))).length;
      console.log(
        `NAB ${file}: ${found}/${scorable.length} labelled windows found (${s.windows.length} labelled), ${extra} false alarms in ${scores.length} scored hours`,
      );
      windows += scorable.length;
      hit += found;
      falseAlarms += extra;
      hours += scores.length;
    }
    const weeks = hours / 168;
    console.log(
      `NAB total: recall ${hit}/${windows} = ${((100 * hit) / windows).toFixed(0)} %, ${falseAlarms} false alarms in ${weeks.toFixed(1)} weeks (${(falseAlarms / weeks).toFixed(2)}/week)`,
    );
    // Floors set just under what was measured: 10/12, 34 false alarms in 45 weeks (0.75/week) with the fixed
    // 30 % minimum change; 10/12 and 39 (0.87/week) with the minimum scaled to the noise (#21), the same
    // with the night-hours rule, which may not add a false alarm here.
    expect(hit / windows).toBeGreaterThanOrEqual(0.75);
    expect(falseAlarms).toBeLessThanOrEqual(39);
  });

  it('spikes injected into BurstGPT conversation traffic are found by the scan, with the culprit on top', async () => {
    const day0 = Date.UTC(2026, 0, 5);
    const hours = burstGptHourly().map((h) => h.conversation);
    // 15 spikes at pseudo-random hours after 3 weeks of history, at least 30 hours apart, each adding
    // 3× the hour's own traffic + 50 requests from one user on one model.
    const random = lcg(7);
    const injected: number[] = [];
    while (injected.length < 15) {
      const i = 21 * 24 + Math.floor(random() * (hours.length - 21 * 24 - 1));
      if (injected.every((j) => Math.abs(j - i) > 30)) injected.push(i);
    }
    const ts = (i: number, minute = 0) =>
      new Date(day0 + i * HOUR + minute * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    const perRequest = new Decimal('0.0014');
    const rows: UsageRowInput[] = [];
    hours.forEach((n, i) => {
      if (n > 0)
        rows.push({
          ts: ts(i),
          requests: n,
          cost: perRequest.times(n).toFixed(),
          user: `user${i % 5}`,
          model: 'gpt-35',
          department: 'sales',
        });
    });
    for (const i of injected) {
      const extra = 3 * hours[i]! + 50;
      rows.push({
        ts: ts(i, 30),
        requests: extra,
        cost: perRequest.times(extra).toFixed(),
        user: 'spiker',
        model: 'gpt-4-batch',
        department: 'research',
      });
    }
    await withTempDb(async (db) => {
      await insertUsage(db, rows, 'burstgpt');
      const at = new Date(day0 + hours.length * HOUR);
      const scan = await runAnomalyScan(db, {
        at,
        tz: 'UTC',
        from: new Date(day0 + 21 * 24 * HOUR),
        grains: ['hour'],
        limit: 1000,
        store: true,
      });
      const flagged = scan.anomalies
        .filter((a) => a.direction === 'spike')
        .map((a) => (a.start.getTime() - day0) / HOUR);
      const found = injected.filter((i) => flagged.includes(i));
      const falseAlarms = scan.anomalies.filter((a) => !injected.includes((a.start.getTime() - day0) / HOUR));
      console.log(
        `BurstGPT injected spikes: ${found.length}/${injected.length} found, ${falseAlarms.length} other hours flagged in ${scan.scanned.hours} scanned hours`,
      );
      // Measured 11/15 found and 1 false alarm (medium sensitivity, materiality floor 2 % of a day); floors at that.
      expect(found.length).toBeGreaterThanOrEqual(11);
      expect(falseAlarms.length).toBeLessThanOrEqual(3);
      for (const a of scan.anomalies.filter((x) => found.includes((x.start.getTime() - day0) / HOUR))) {
        expect(a.contributors.user[0]!.key).toBe('spiker');
        expect(a.contributors.model[0]!.key).toBe('gpt-4-batch');
        expect(a.contributors.department[0]!.key).toBe('research');
        expect(a.impact.toFixed()).toBe(a.actual.minus(a.expected).toFixed());
      }
      // Stored and alerted once each: a second scan creates nothing new.
      const alerts = await listAlerts(db, { type: 'anomaly' });
      expect(alerts).toHaveLength(scan.anomalies.length);
      expect(scan.created).toBe(scan.anomalies.length);
      const again = await runAnomalyScan(db, {
        at,
        tz: 'UTC',
        from: new Date(day0 + 21 * 24 * HOUR),
        grains: ['hour'],
        limit: 1000,
        store: true,
      });
      expect(again.created).toBe(0);
      expect(again.anomalies.every((a) => !a.new)).toBe(true);
      expect(await listAlerts(db, { type: 'anomaly' })).toHaveLength(alerts.length);
      const stored = await db.one('SELECT count(*)::INTEGER AS n FROM anomalies');
      expect(stored!.n).toBe(scan.anomalies.length);
    });
  });
});
