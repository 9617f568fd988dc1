// `costctl report …`: trend, dist, patterns, efficiency, forecast, anomalies. Parse the shared report
// flags → call the report service → render in the chosen format. The database layer loads lazily.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { positiveInt } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { holidaysFor } from '../cli/holidays.js';
import { addReportFlags, outputFormat, resolveReportScope, type ReportFlagValues } from '../cli/report-flags.js';
import { SENSITIVITIES, type Sensitivity } from '../domain/anomaly.js';
import { DIST_DIMENSIONS, type DistDimension } from '../services/reports/dist.js';

const TREND_UNITS = ['hour', 'day', 'week', 'month'];
/** `report anomalies --by` value → the filter name the service takes. */
const ANOMALY_BY = {
  user: 'user',
  department: 'department',
  organization: 'organization',
  project: 'project',
  model: 'model',
  provider: 'provider',
  account: 'account',
  'request-type': 'requestType',
} as const;

function horizonDays(value: string): number {
  const n = positiveInt(value);
  if (n > 366) throw new InvalidArgumentError(`must be at most 366 days (got "${value}")`);
  return n;
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('where the money goes and where it is heading');

  addReportFlags(
    report
      .command('trend')
      .description('cost, requests and tokens per hour/day/week/month (idle periods as zero rows)')
      .addOption(new Option('--by <unit>', 'period').choices(TREND_UNITS).default('day')),
  ).action(
    handler(async (ctx, opts: ReportFlagValues & { by: 'hour' | 'day' | 'week' | 'month' }) => {
      const format = outputFormat(opts);
      const scope = resolveReportScope(opts, { now: ctx.now(), tz: ctx.config.tz });
      const { trendReport } = await import('../services/reports/trend.js');
      const rows = await ctx.withDb((db) => trendReport(db, { ...scope, by: opts.by, now: ctx.now() }));
      const { renderTrend } = await import('../render/reports.js');
      ctx.out(renderTrend(rows, format));
    }),
  );

  addReportFlags(
    report
      .command('dist')
      .description('cost by one dimension, largest first; unpriced usage on its own line')
      .addOption(new Option('--by <dimension>', 'dimension').choices(Object.keys(DIST_DIMENSIONS)).default('user'))
      .option('--top <n>', 'show the N largest, fold the rest into "other"', positiveInt),
  ).action(
    handler(async (ctx, opts: ReportFlagValues & { by: string; top?: number }) => {
      const format = outputFormat(opts);
      const scope = resolveReportScope(opts, { now: ctx.now(), tz: ctx.config.tz });
      const { distReport } = await import('../services/reports/dist.js');
      const rows = await ctx.withDb((db) => distReport(db, { ...scope, by: opts.by as DistDimension, top: opts.top }));
      const { renderDist } = await import('../render/reports.js');
      ctx.out(renderDist(rows, format));
    }),
  );

  addReportFlags(report.command('patterns').description('cost by hour of day × day of week, peak hours')).action(
    handler(async (ctx, opts: ReportFlagValues) => {
      const format = outputFormat(opts);
      const scope = resolveReportScope(opts, { now: ctx.now(), tz: ctx.config.tz });
      const { patternsReport } = await import('../services/reports/patterns.js');
      const result = await ctx.withDb((db) => patternsReport(db, scope));
      const { renderPatterns } = await import('../render/reports.js');
      ctx.out(renderPatterns(result, format));
    }),
  );

  addReportFlags(
    report
      .command('efficiency')
      .description('per model cost per 1K tokens and per request; most expensive and outlier requests')
      .option('--limit <n>', 'requests listed in each section (default 10)', positiveInt),
  ).action(
    handler(async (ctx, opts: ReportFlagValues & { limit?: number }) => {
      const format = outputFormat(opts);
      const scope = resolveReportScope(opts, { now: ctx.now(), tz: ctx.config.tz });
      const { efficiencyReport } = await import('../services/reports/efficiency.js');
      const result = await ctx.withDb((db) => efficiencyReport(db, { ...scope, limit: opts.limit }));
      const { renderEfficiency } = await import('../render/reports.js');
      ctx.out(renderEfficiency(result, format, ctx.config.tz));
    }),
  );

  addReportFlags(
    report
      .command('forecast')
      .description('daily spend forecast (weekly seasonality) with 80%/95% bands; quotas and budgets projected')
      .addOption(
        new Option('--grain <unit>', 'day, or hour: the next hours by the intraday shape').choices(['day', 'hour']),
      )
      .option(
        '--horizon <n>',
        'forecast N days from today (1-366), or N hours with --grain hour (1-72, default 24)',
        horizonDays,
      )
      .addOption(new Option('--to <end>', 'forecast to the end of the current month (default)').choices(['month-end']))
      .option(
        '--holidays <file>',
        'dates (YYYY-MM-DD, one a line) left out of the daily model; adds to config holidays',
      ),
    { noWindow: true },
  ).action(
    handler(
      async (ctx, opts: ReportFlagValues & { horizon?: number; to?: string; grain?: string; holidays?: string }) => {
        const format = outputFormat(opts);
        if (opts.horizon !== undefined && opts.to)
          throw new UsageError('--horizon and --to cannot be combined: choose one');
        const scope = resolveReportScope(opts, { now: ctx.now(), tz: ctx.config.tz });
        const filtered = Object.keys(scope.filters).length > 0;
        if (opts.grain === 'hour') {
          if (opts.to)
            throw new UsageError('--to month-end is for days; with --grain hour give --horizon HOURS (1-72)');
          if ((opts.horizon ?? 24) > 72)
            throw new UsageError(`--horizon: ${opts.horizon} hours is too far for --grain hour; give 1-72 hours`);
          const { forecastSpendHourly } = await import('../services/reports/forecast-hourly.js');
          const result = await ctx.withDb((db) =>
            forecastSpendHourly(db, {
              at: ctx.now(),
              tz: ctx.config.tz,
              horizonHours: opts.horizon ?? 24,
              filters: scope.filters,
              skipLimits: filtered,
            }),
          );
          const { renderHourlyForecast } = await import('../render/forecast-hourly.js');
          ctx.out(renderHourlyForecast(result, format));
          return;
        }
        const holidays = await holidaysFor(ctx, opts.holidays);
        const { forecastSpend } = await import('../services/reports/forecast.js');
        const result = await ctx.withDb((db) =>
          forecastSpend(db, {
            at: ctx.now(),
            tz: ctx.config.tz,
            horizonDays: opts.horizon,
            toMonthEnd: opts.horizon === undefined,
            filters: scope.filters,
            skipLimits: filtered,
            holidays,
          }),
        );
        const { renderForecast } = await import('../render/reports.js');
        ctx.out(renderForecast(result, format));
      },
    ),
  );

  addReportFlags(
    report
      .command('anomalies')
      .description(
        'days and hours whose cost is far from a robust weekly baseline (read only: the anomaly-scan job stores and alerts them)',
      )
      .addOption(
        new Option('--sensitivity <level>', 'how small a deviation is reported')
          .choices(SENSITIVITIES as unknown as string[])
          .default('medium'),
      )
      .addOption(
        new Option('--grain <grain>', 'which buckets to scan').choices(['day', 'hour', 'both']).default('both'),
      )
      .addOption(
        new Option(
          '--by <dimension>',
          'a baseline per key of this dimension (its top 20 keys by spend) instead of the total',
        ).choices(Object.keys(ANOMALY_BY)),
      )
      .option(
        '--holidays <file>',
        'dates (YYYY-MM-DD, one a line) neither scanned nor in a baseline; adds to config holidays',
      ),
    { defaultWindow: '7d' },
  ).action(
    handler(
      async (
        ctx,
        opts: ReportFlagValues & {
          sensitivity: Sensitivity;
          grain: 'day' | 'hour' | 'both';
          by?: keyof typeof ANOMALY_BY;
          holidays?: string;
        },
      ) => {
        const format = outputFormat(opts);
        const holidays = await holidaysFor(ctx, opts.holidays);
        const scope = resolveReportScope(opts, { now: ctx.now(), tz: ctx.config.tz }, '7d');
        const now = ctx.now();
        const at = scope.to.getTime() < now.getTime() ? scope.to : now;
        const { runAnomalyScan } = await import('../services/reports/anomalies.js');
        const scan = await ctx.withDb((db) =>
          runAnomalyScan(db, {
            at,
            now,
            tz: scope.tz,
            from: scope.from,
            sensitivity: opts.sensitivity,
            grains: opts.grain === 'both' ? ['day', 'hour'] : [opts.grain],
            filters: scope.filters,
            dimension: opts.by ? ANOMALY_BY[opts.by] : undefined,
            holidays,
          }),
        );
        const { renderAnomalies } = await import('../render/reports.js');
        ctx.out(renderAnomalies(scan, format));
      },
    ),
  );
}
