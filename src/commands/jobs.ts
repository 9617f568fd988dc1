// `costctl jobs …`: the scheduled jobs — list, run one now, history, the scheduler, crontab lines.
// Job modules (and through them nodemailer and node-cron) are loaded inside the actions.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SilentExit, UsageError } from '../errors.js';
import { addJsonFlag, positiveInt } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('scheduled jobs: thresholds, anomalies, reconciliation, reports');

  addJsonFlag(jobs.command('list').description('each job with its schedule, last run and next run')).action(
    handler(async (ctx, opts: { json?: boolean }) => {
      const { validatedPlans, nextRunAt } = await import('../../jobs/scheduler.js');
      const { lastRuns } = await import('../services/ops/job-runs.js');
      const { deliveryFromConfig } = await import('../notify/smtp-config.js');
      // The jobs send email: a bad SMTP URL or sender is a config error here too, not at 2 a.m.
      deliveryFromConfig(ctx.config, ctx.env);
      const plans = await validatedPlans(ctx);
      const last = await ctx.withDb((db) => lastRuns(db));
      const rows = [];
      for (const p of plans) {
        const run = last.get(p.job.name);
        rows.push({
          name: p.job.name,
          schedule: p.schedule,
          enabled: p.enabled,
          description: p.job.description,
          last_run: run?.started_at ?? null,
          last_status: run?.status ?? null,
          next_run: p.enabled ? ((await nextRunAt(p.schedule, ctx.now(), ctx.config.tz))?.toISOString() ?? null) : null,
        });
      }
      if (opts.json) return ctx.out(renderJson(rows));
      const { localCell } = await import('../render/local-time.js');
      const tz = ctx.config.tz;
      ctx.out(
        renderTable(
          [
            { header: 'job' },
            { header: `schedule (${tz})` },
            { header: `last run (${tz})` },
            { header: 'status' },
            { header: `next run (${tz})` },
          ],
          rows.map((r) => [
            r.name,
            r.enabled ? r.schedule : `${r.schedule} (disabled)`,
            r.last_run ? localCell(r.last_run, tz) : 'never',
            r.last_status ?? '',
            localCell(r.next_run, tz),
          ]),
        ),
      );
    }),
  );

  addJsonFlag(
    jobs
      .command('run')
      .description('run one job once, now (exit 0 ok, 3 something beyond a threshold, 1 failed or not available)')
      .argument('<name>', 'threshold-check, anomaly-scan, reconcile, optimization-report or daily-digest')
      .option('--date <day>', 'reconcile: this local day instead of yesterday')
      .option('--since <day>', 'reconcile: first day of a range')
      .option('--until <day>', 'reconcile: last day of a range (default: yesterday)'),
  ).action(
    handler(async (ctx, opts: { json?: boolean; date?: string; since?: string; until?: string }, name: string) => {
      const { findJob } = await import('../../jobs/registry.js');
      const { runJob, exitCodeOf, logLine, mailTroubles } = await import('../../jobs/runner.js');
      const job = findJob(name);
      const { date, since, until } = opts;
      if ((date || since || until) && job.name !== 'reconcile')
        throw new UsageError(`--date/--since/--until apply to the reconcile job only`);
      // The same period rules as `costctl reconcile`: a bad day is exit 2 here, not a failed run.
      const { reconcilePeriod } = await import('../services/reconcile/run.js');
      if (job.name === 'reconcile') reconcilePeriod(opts, ctx.now(), ctx.config.tz);
      const result = await runJob(ctx, job, { date, since, until }, 'manual');
      ctx.out(opts.json ? renderJson(result) : logLine(result));
      if (!opts.json)
        for (const s of result.emails.sent)
          ctx.err(`sent #${s.id} to ${s.to.join(', ')} via ${s.delivered_to}: ${s.subject}`);
      const code = exitCodeOf(result.status, mailTroubles(result.emails));
      if (code !== 0) throw new SilentExit(code as 1 | 3);
    }),
  );

  addJsonFlag(
    jobs
      .command('history')
      .description('past runs, latest first')
      .option('--job <name>', 'only this job')
      .option('--limit <n>', 'at most n runs', positiveInt, 50),
  ).action(
    handler(async (ctx, opts: { json?: boolean; job?: string; limit: number }) => {
      if (opts.job) (await import('../../jobs/registry.js')).findJob(opts.job);
      const { jobHistory } = await import('../services/ops/job-runs.js');
      const runs = await ctx.withDb((db) => jobHistory(db, { job: opts.job, limit: opts.limit }));
      if (opts.json) return ctx.out(renderJson(runs));
      const { localCell } = await import('../render/local-time.js');
      ctx.out(
        runs.length
          ? renderTable(
              [
                { header: 'run', align: 'right' },
                { header: 'job' },
                { header: `started (${ctx.config.tz})` },
                { header: 'trigger' },
                { header: 'status' },
                { header: 'summary' },
              ],
              runs.map((r) => [
                r.id,
                r.job,
                localCell(r.started_at, ctx.config.tz),
                r.trigger,
                r.status,
                r.summary ?? r.error ?? '',
              ]),
            )
          : 'No job runs yet. Run one with `costctl jobs run threshold-check`.',
      );
    }),
  );

  jobs
    .command('schedule')
    .description('run the scheduler in the foreground (one log line per run; Ctrl-C or SIGTERM stops it)')
    .action(
      handler(async (ctx) => {
        const { startScheduler } = await import('../../jobs/scheduler.js');
        const { checkDelivery } = await import('../../jobs/runner.js');
        const { describeDelivery } = await import('../notify/smtp-config.js');
        const scheduler = await startScheduler(ctx, (line) => ctx.out(line));
        const enabled = scheduler.plans.filter((p) => p.enabled);
        ctx.err(
          `costctl scheduler: ${enabled.map((p) => `${p.job.name} "${p.schedule}"`).join(', ')} (${ctx.config.tz}); ` +
            `database ${ctx.config.db}; email via ${describeDelivery(checkDelivery(ctx))}`,
        );
        const onSignal = (signal: string) => {
          ctx.err(`costctl scheduler: ${signal}, stopping after running jobs finish`);
          void scheduler.stop();
        };
        process.once('SIGINT', () => onSignal('SIGINT'));
        process.once('SIGTERM', () => onSignal('SIGTERM'));
        await scheduler.stopped;
        ctx.err('costctl scheduler: stopped');
      }),
    );

  jobs
    .command('crontab')
    .description('print crontab lines equivalent to the schedules, for system cron')
    .action(
      handler(async (ctx) => {
        const { validatedPlans } = await import('../../jobs/scheduler.js');
        const plans = await validatedPlans(ctx);
        const bin = resolve(process.argv[1] ?? 'costctl');
        const db = resolve(ctx.config.db);
        const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
        const lines = [
          `# costctl jobs (generated by \`costctl jobs crontab\`); times are in ${ctx.config.tz}`,
          `CRON_TZ=${ctx.config.tz}`,
          ...plans.map(
            (p) =>
              `${p.enabled ? '' : '# (disabled) '}${p.schedule} ${quote(process.execPath)} ${quote(bin)} --db ${quote(db)} jobs run ${p.job.name} >> ${quote(resolve('costctl-jobs.log'))} 2>&1`,
          ),
        ];
        ctx.out(lines.join('\n'));
      }),
    );
}
