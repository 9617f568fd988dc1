// Storing a found anomaly and raising its alert, once: a second scan of the same bucket finds it stored.
import type { Db } from '../../db/database.js';
import { formatMoney } from '../../domain/money.js';
import { sqlTimestamp } from '../../domain/time.js';
import { raiseAlert } from '../alerts/state.js';
import type { Anomaly } from './anomaly-types.js';
import { periodLabel } from './buckets.js';

export async function anomalyStored(db: Db, a: Anomaly): Promise<boolean> {
  const row = await db.one(
    `SELECT id FROM anomalies WHERE grain = ? AND bucket_start = ?::TIMESTAMP AND dimension = ? AND key = ?`,
    [a.grain, sqlTimestamp(a.start), a.dimension, a.key],
  );
  return row !== undefined;
}

/** Stores the anomaly and raises its alert, unless it is already stored. Returns whether it was new. */
export async function storeAnomaly(db: Db, a: Anomaly, tz: string, now: Date): Promise<boolean> {
  return db.transaction(async () => {
    if (await anomalyStored(db, a)) return false;
    // The subject names the event's first bucket, so a run that grows between scans stays one alert.
    const first = periodLabel(a.grain, a.start, tz);
    const label =
      (a.grain === 'day' ? first : first.replace(' ', 'T')) +
      (a.dimension === 'total' ? '' : `:${a.dimension}:${a.key}`);
    const what = a.dimension === 'total' ? 'Cost' : `Cost of ${a.dimension} ${a.key}`;
    const top = [a.contributors.user[0], a.contributors.model[0], a.contributors.department[0]].filter(Boolean);
    const pct = a.impact_pct === null ? '' : ` (${a.impact_pct > 0 ? '+' : ''}${a.impact_pct}%)`;
    const alert = await raiseAlert(
      db,
      {
        type: 'anomaly',
        subject: `anomaly:${a.grain}:${label}`,
        windowStart: a.start,
        windowEnd: a.end,
        severity: a.direction === 'spike' && (a.impact_pct === null || a.impact_pct >= 200) ? 'critical' : 'warning',
        title: `${what}: ${a.direction} on ${a.period}${a.grain === 'day' ? '' : ` (${tz})`}`,
        message: `${what} ${a.actual.isZero() ? 'nothing recorded' : formatMoney(a.actual)} vs ${formatMoney(a.expected)} expected${a.actual.isZero() ? ' (has usage for this time been ingested yet?)' : pct}${top.length ? `; top: ${top.map((c) => c!.key).join(', ')}` : ''}`,
        observed: a.actual.toFixed(),
        threshold: a.expected.toFixed(),
        details: {
          grain: a.grain,
          dimension: a.dimension,
          key: a.key,
          period: a.period,
          tz,
          expected: a.expected.toFixed(),
          actual: a.actual.toFixed(),
          impact: a.impact.toFixed(),
          impact_pct: a.impact_pct,
          score: a.score,
          contributors: a.contributors,
        },
      },
      now,
    );
    await db.run(
      `INSERT INTO anomalies (grain, dimension, key, bucket_start, bucket_end, label, tz, direction, expected, actual, impact, impact_pct, score, contributors, alert_id, detected_at)
       VALUES (?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?, ?, ?, ?::DECIMAL(38,18), ?::DECIMAL(38,18), ?::DECIMAL(38,18), ?, ?, ?::JSON, ?, ?::TIMESTAMP)`,
      [
        a.grain,
        a.dimension,
        a.key,
        sqlTimestamp(a.start),
        sqlTimestamp(a.end),
        a.period,
        tz,
        a.direction,
        a.expected.toFixed(),
        a.actual.toFixed(),
        a.impact.toFixed(),
        a.impact_pct,
        a.score,
        JSON.stringify(a.contributors),
        alert.id,
        sqlTimestamp(now),
      ],
    );
    return true;
  });
}
