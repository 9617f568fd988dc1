// How each report looks in a terminal, and its rows for json/csv/markdown (via report-output.ts).
import type { OutputFormat } from './report-output.js';
import { Decimal, formatMoney } from '../domain/money.js';
import type { Anomaly, AnomalyScan } from '../services/reports/anomalies.js';
import type { DistRow } from '../services/reports/dist.js';
import type { EfficiencyReport } from '../services/reports/efficiency.js';
import type { SpendForecast } from '../services/reports/forecast.js';
import type { PatternsReport } from '../services/reports/patterns.js';
import type { TrendRow } from '../services/reports/trend.js';
import { barChart } from './chart.js';
import { heatmap } from './heatmap.js';
import { renderJson } from './json.js';
import { pct, renderRows, type ReportColumn } from './report-output.js';
import { formatCount } from './count.js';
import { money, renderTable } from './table.js';
import { localCell, zoned } from './local-time.js';

const share = (v: number | null) => (v === null ? '' : `${v}%`);

const TREND_COLUMNS: Array<ReportColumn<TrendRow>> = [
  { key: 'period', value: (r) => r.period },
  { key: 'total_cost', header: 'cost', align: 'right', value: (r) => r.total_cost },
  { key: 'requests', align: 'right', value: (r) => r.requests },
  { key: 'input_tokens', header: 'input', align: 'right', value: (r) => r.input_tokens },
  { key: 'output_tokens', header: 'output', align: 'right', value: (r) => r.output_tokens },
  { key: 'cache_read_tokens', header: 'cache read', align: 'right', value: (r) => r.cache_read_tokens },
  {
    key: 'change_pct',
    header: 'change',
    align: 'right',
    value: (r) => r.change_pct,
    display: (r) => pct(r.change_pct),
  },
];

export function renderTrend(rows: TrendRow[], format: OutputFormat): string {
  const out = renderRows(rows, TREND_COLUMNS, format);
  if (format !== 'table') return out;
  if (rows.length === 0) return 'No periods in this window.';
  const total = rows.reduce((s, r) => s.plus(r.total_cost), new Decimal(0));
  const chart = barChart(
    rows.map((r) => ({ label: r.period, value: r.total_cost.toNumber(), text: formatMoney(r.total_cost) })),
  );
  return `${out}\ntotal ${formatMoney(total)}\n\n${chart}`;
}

const DIST_COLUMNS: Array<ReportColumn<DistRow>> = [
  { key: 'key', value: (r) => r.key },
  {
    key: 'total_cost',
    header: 'cost',
    align: 'right',
    value: (r) => r.total_cost,
    display: (r) => (r.total_cost ? money(r.total_cost) : 'unknown'),
  },
  { key: 'requests', align: 'right', value: (r) => r.requests },
  { key: 'tokens', align: 'right', value: (r) => r.tokens },
  { key: 'share_pct', header: 'share', align: 'right', value: (r) => r.share_pct, display: (r) => share(r.share_pct) },
];

export function renderDist(rows: DistRow[], format: OutputFormat): string {
  if (format === 'table' && rows.length === 0) return 'No usage in this window.';
  return renderRows(rows, DIST_COLUMNS, format);
}

export function renderPatterns(r: PatternsReport, format: OutputFormat): string {
  const rows = r.cells;
  const columns: Array<ReportColumn<(typeof rows)[number]>> = [
    { key: 'weekday', value: (c) => c.weekday },
    { key: 'hour', value: (c) => c.hour },
    { key: 'total_cost', value: (c) => c.total_cost },
    { key: 'requests', value: (c) => c.requests },
  ];
  if (format === 'json') return renderJson(r);
  if (format !== 'table') return renderRows(rows, columns, format);
  if (r.requests === 0n) return 'No usage in this window.';
  const grid = Array.from({ length: 7 }, (_, d) => rows.slice(d * 24, d * 24 + 24).map((c) => c.total_cost.toNumber()));
  const max = rows.reduce((m, c) => (c.total_cost.gt(m) ? c.total_cost : m), new Decimal(0));
  const peaks = r.peak_hours.map((h) => `${String(h).padStart(2, '0')}:00`).join(', ');
  return [
    heatmap(grid, `${formatMoney(max)} per cell`),
    '',
    `total ${formatMoney(r.total_cost)} over ${formatCount(r.requests)} requests`,
    `peak hours: ${peaks || '—'}; top 3 hours carry ${share(r.top3_share_pct) || '—'} of spend`,
  ].join('\n');
}

export function renderEfficiency(r: EfficiencyReport, format: OutputFormat, tz = 'UTC'): string {
  if (format === 'json') return renderJson(r);
  const models = renderRows(
    r.models,
    [
      { key: 'rank', align: 'right', value: (m) => m.rank },
      { key: 'model', value: (m) => m.model },
      {
        key: 'cost_per_1k_tokens',
        header: 'per 1K tokens',
        align: 'right',
        value: (m) => m.cost_per_1k_tokens,
      },
      {
        key: 'cost_per_request',
        header: 'per request',
        align: 'right',
        value: (m) => m.cost_per_request,
      },
      { key: 'tokens_per_request', header: 'tokens/request', align: 'right', value: (m) => m.tokens_per_request },
      { key: 'requests', align: 'right', value: (m) => m.requests },
      { key: 'total_cost', header: 'cost', align: 'right', value: (m) => m.total_cost },
    ],
    format,
  );
  if (format === 'csv') return models;
  const requestTable = (list: EfficiencyReport['outliers'], extra: boolean) =>
    renderTable(
      [
        { header: zoned('when', tz) },
        { header: 'model' },
        { header: 'user' },
        { header: 'session' },
        { header: 'tokens', align: 'right' },
        { header: 'cost', align: 'right' },
        ...(extra ? [{ header: '× median', align: 'right' as const }] : []),
      ],
      list.map((q) => [
        localCell(q.ts.toISOString(), tz),
        q.model,
        q.user ?? '',
        q.session ?? '',
        formatCount(q.tokens),
        money(q.total_cost),
        ...(extra ? [q.times_median ?? ''] : []),
      ]),
    );
  return [
    models,
    '',
    'Most expensive requests',
    r.most_expensive.length ? requestTable(r.most_expensive, false) : '(none)',
    '',
    "Requests far above their model's typical cost",
    r.outliers.length ? requestTable(r.outliers, true) : '(none)',
  ].join('\n');
}

/** Forecasts are estimates: shown to the cent (JSON and CSV keep the full figure). */
function estimate(value: string): string {
  return formatMoney(new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
}

export function renderForecast(f: SpendForecast, format: OutputFormat): string {
  if (format === 'json') return renderJson(f);
  const days = renderRows(
    f.days,
    [
      { key: 'date', value: (d) => d.date },
      { key: 'expected', align: 'right', value: (d) => d.expected, display: (d) => estimate(d.expected) },
      { key: 'lo80', header: '80% low', align: 'right', value: (d) => d.lo80, display: (d) => estimate(d.lo80) },
      { key: 'hi80', header: '80% high', align: 'right', value: (d) => d.hi80, display: (d) => estimate(d.hi80) },
      { key: 'lo95', header: '95% low', align: 'right', value: (d) => d.lo95, display: (d) => estimate(d.lo95) },
      { key: 'hi95', header: '95% high', align: 'right', value: (d) => d.hi95, display: (d) => estimate(d.hi95) },
    ],
    format,
  );
  if (format === 'csv') return days;
  const p = f.period;
  const limits = [
    ...f.quotas.map((q) => ({ ...q, kind: 'quota' })),
    ...f.budgets.map((b) => ({ ...b, kind: 'budget' })),
  ];
  const lines = [
    days,
    '',
    `${p.from} … ${p.to}: spent ${formatMoney(p.actual_to_date)} so far; expected total ${estimate(p.expected_total)} (80%: ${estimate(p.lo80)}–${estimate(p.hi80)}, 95%: ${estimate(p.lo95)}–${estimate(p.hi95)})`,
    `method: ${f.method}; ${f.history_days} days of history${f.calibrated ? '' : ' (too short to calibrate the bands: they are a rough ±30% guess)'}`,
  ];
  if (limits.length) {
    lines.push(
      '',
      renderTable(
        [
          { header: 'limit' },
          { header: 'name' },
          { header: 'scope' },
          { header: 'used', align: 'right' },
          { header: 'limit', align: 'right' },
          { header: 'projected at end', align: 'right' },
          { header: 'crosses on' },
        ],
        limits.map((l) => [
          l.kind,
          l.name,
          l.scope,
          money(l.used),
          money(l.limit),
          l.projected_at_window_end ? estimate(l.projected_at_window_end) : (l.note ?? ''),
          l.already_exceeded ? 'already exceeded' : (l.crosses_on ?? '—'),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

const ANOMALY_KEY_COLUMNS: Array<ReportColumn<Anomaly>> = [
  { key: 'dimension', value: (a) => a.dimension },
  { key: 'key', value: (a) => a.key },
];

const ANOMALY_COLUMNS: Array<ReportColumn<Anomaly>> = [
  { key: 'grain', value: (a) => a.grain },
  { key: 'period', value: (a) => a.period },
  { key: 'direction', value: (a) => a.direction },
  { key: 'expected', align: 'right', value: (a) => a.expected },
  { key: 'actual', align: 'right', value: (a) => a.actual },
  { key: 'impact', align: 'right', value: (a) => a.impact },
  {
    key: 'impact_pct',
    header: 'impact %',
    align: 'right',
    value: (a) => a.impact_pct,
    display: (a) => pct(a.impact_pct),
  },
  { key: 'score', align: 'right', value: (a) => a.score },
  { key: 'top_user', header: 'top user', value: (a) => a.contributors.user[0]?.key ?? null },
  { key: 'top_model', header: 'top model', value: (a) => a.contributors.model[0]?.key ?? null },
  { key: 'top_department', header: 'top dept', value: (a) => a.contributors.department[0]?.key ?? null },
  { key: 'new', value: (a) => a.new, display: (a) => (a.new ? 'new' : '') },
];

export function renderAnomalies(scan: AnomalyScan, format: OutputFormat): string {
  if (format === 'json') return renderJson(scan.anomalies);
  if (format === 'table' && scan.anomalies.length === 0) {
    return `No anomalies in ${scan.scanned.days} days / ${scan.scanned.hours} hours scanned (sensitivity ${scan.sensitivity}).`;
  }
  const keyed = scan.anomalies.some((a) => a.dimension !== 'total');
  const columns = keyed ? [ANOMALY_COLUMNS[0]!, ...ANOMALY_KEY_COLUMNS, ...ANOMALY_COLUMNS.slice(1)] : ANOMALY_COLUMNS;
  const out = renderRows(scan.anomalies, columns, format);
  return format === 'table'
    ? `${out}\n${scan.found} found, ${scan.created} new (sensitivity ${scan.sensitivity})`
    : out;
}
