// The daily digest: yesterday's spend, month to date, the forecast to month end and the open alerts,
// every amount summed from usage rows (forecast from the forecast service, when it is available).
import type { Db } from '../../db/database.js';
import { Decimal, formatMoney, moneyString } from '../../domain/money.js';
import { addCalendar, localDate, sqlTimestamp, startOf } from '../../domain/time.js';
import type { ReportDoc } from '../../notify/templates.js';
import type { Alert } from '../../domain/alerts.js';
import { listAlerts } from '../alerts/state.js';

export interface DigestData {
  day: string;
  yesterday: string;
  month_to_date: string;
  /** null when no forecast service is available. */
  forecast_month_end: string | null;
  unpriced_rows_yesterday: number;
  by_provider: { provider: string; cost: string }[];
  by_department: { department: string; cost: string }[];
  open_alerts: Pick<Alert, 'id' | 'severity' | 'title'>[];
}

async function spend(db: Db, from: Date, to: Date): Promise<string> {
  const r = await db.one<{ c: string }>(
    `SELECT coalesce(sum(total_cost), 0)::DECIMAL(38,18)::VARCHAR AS c FROM usage WHERE ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP AND NOT unpriced`,
    [sqlTimestamp(from), sqlTimestamp(to)],
  );
  return moneyString(r!.c);
}

export async function buildDigest(
  db: Db,
  input: { now: Date; tz: string; forecastMonthEnd?: Decimal | null },
): Promise<DigestData> {
  const today = startOf('day', input.now, input.tz);
  const yStart = addCalendar('day', today, -1, input.tz);
  // "Month to date" is the month of yesterday, up to the end of yesterday: complete days only.
  const monthStart = startOf('month', yStart, input.tz);
  const bounds = [sqlTimestamp(yStart), sqlTimestamp(today)];
  const by = (col: string) =>
    db.all(
      `SELECT coalesce(${col}, '(none)') AS k, sum(total_cost)::VARCHAR AS cost FROM usage u
       LEFT JOIN models m ON m.name = u.priced_model
       WHERE u.ts >= ?::TIMESTAMP AND u.ts < ?::TIMESTAMP AND NOT u.unpriced GROUP BY 1 ORDER BY sum(total_cost) DESC, 1`,
      bounds,
    );
  const unpriced = await db.one<{ n: string }>(
    'SELECT count(*)::VARCHAR AS n FROM usage WHERE ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP AND unpriced',
    bounds,
  );
  const alerts = await listAlerts(db, { status: 'open' });
  return {
    day: localDate(yStart, input.tz),
    yesterday: await spend(db, yStart, today),
    month_to_date: await spend(db, monthStart, today),
    forecast_month_end: input.forecastMonthEnd ? moneyString(input.forecastMonthEnd) : null,
    unpriced_rows_yesterday: Number(unpriced?.n ?? 0),
    by_provider: (await by('coalesce(u.provider, m.provider)')).map((r) => ({
      provider: r.k,
      cost: moneyString(r.cost),
    })),
    by_department: (await by('u.department')).map((r) => ({ department: r.k, cost: moneyString(r.cost) })),
    open_alerts: alerts.map((a) => ({ id: a.id, severity: a.severity, title: a.title })),
  };
}

export function digestReport(d: DigestData, currency = 'USD'): ReportDoc {
  const m = (v: string) => formatMoney(v, currency);
  return {
    title: `daily digest ${d.day}: ${m(d.yesterday)} yesterday, ${m(d.month_to_date)} month to date`,
    summary: [
      `Yesterday (${d.day}): ${m(d.yesterday)}.`,
      `Month to date: ${m(d.month_to_date)}.`,
      d.forecast_month_end === null
        ? 'Forecast to month end: not available.'
        : `Forecast to month end: ${m(d.forecast_month_end)}.`,
      ...(d.unpriced_rows_yesterday
        ? [`${d.unpriced_rows_yesterday} request(s) yesterday have no price and are not counted.`]
        : []),
    ],
    sections: [
      {
        heading: 'Yesterday by provider',
        bars: d.by_provider.map((p) => ({ label: p.provider, value: p.cost, display: m(p.cost) })),
      },
      {
        heading: 'Yesterday by department',
        table: {
          columns: ['department', 'cost'],
          numeric: [false, true],
          rows: d.by_department.map((x) => [x.department, m(x.cost)]),
        },
      },
      {
        heading: `Open alerts (${d.open_alerts.length})`,
        table: {
          columns: ['id', 'severity', 'alert'],
          numeric: [true, false, false],
          rows: d.open_alerts.map((a) => [String(a.id), a.severity, a.title]),
        },
      },
    ],
  };
}

export function digestTotalCheck(d: DigestData): boolean {
  // The provider split must add up to yesterday's total; used by tests and as a guard in the job.
  return d.by_provider.reduce((s, p) => s.plus(p.cost), new Decimal(0)).eq(d.yesterday);
}
