// `report forecast --grain hour`: the hours ahead with their bands, and the quotas projected to run out.
import { Decimal, formatMoney } from '../domain/money.js';
import type { HourlyForecast } from '../services/reports/forecast-hourly.js';
import { renderJson } from './json.js';
import type { OutputFormat } from './report-output.js';
import { renderRows } from './report-output.js';
import { money, renderTable } from './table.js';

/** Forecasts are estimates: shown to the cent (JSON and CSV keep the full figure). */
const estimate = (value: string) => formatMoney(new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));

export function renderHourlyForecast(f: HourlyForecast, format: OutputFormat): string {
  if (format === 'json') return renderJson(f);
  const hours = renderRows(
    f.hours,
    [
      { key: 'hour', value: (h) => h.hour },
      { key: 'expected', align: 'right', value: (h) => h.expected, display: (h) => estimate(h.expected) },
      { key: 'lo80', header: '80% low', align: 'right', value: (h) => h.lo80, display: (h) => estimate(h.lo80) },
      { key: 'hi80', header: '80% high', align: 'right', value: (h) => h.hi80, display: (h) => estimate(h.hi80) },
      { key: 'lo95', header: '95% low', align: 'right', value: (h) => h.lo95, display: (h) => estimate(h.lo95) },
      { key: 'hi95', header: '95% high', align: 'right', value: (h) => h.hi95, display: (h) => estimate(h.hi95) },
    ],
    format,
  );
  if (format === 'csv') return hours;
  const lines = [
    hours,
    '',
    `method: ${f.method}; ${f.history_days} days of history${f.calibrated ? '' : ' (too short to calibrate the bands: they are a rough guess)'}`,
  ];
  if (f.quotas.length) {
    lines.push(
      '',
      renderTable(
        [
          { header: 'quota' },
          { header: 'limit of' },
          { header: 'scope' },
          { header: 'used', align: 'right' },
          { header: 'limit', align: 'right' },
          { header: 'projected at end', align: 'right' },
          { header: 'runs out at' },
          { header: 'may run out at (80%)' },
        ],
        f.quotas.map((q) => [
          q.name,
          q.limit_kind,
          q.scope,
          money(q.used),
          money(q.limit),
          estimate(q.projected_at_window_end),
          q.already_exceeded ? 'already exceeded' : (q.runs_out_at ?? '—'),
          q.already_exceeded ? '' : (q.may_run_out_at ?? '—'),
        ]),
      ),
    );
  }
  return lines.join('\n');
}
