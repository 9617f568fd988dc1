// `costctl demo`: builds a fresh demo database from the bundled fixtures and prints what is in it.
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DataError, UsageError } from '../errors.js';
import { addJsonFlag } from '../cli/options.js';
import { commandContext, handler } from '../cli/handler.js';
import { formatMoney } from '../domain/money.js';
import { renderJson } from '../render/json.js';
import { money, renderTable } from '../render/table.js';
import { formatCount } from '../render/count.js';
import { counted } from '../render/plural.js';

const DEFAULT_DEMO_DB = 'costctl-demo.duckdb';

/** --db or COSTCTL_DB when given; otherwise ./costctl-demo.duckdb (never the config file's database). */
function demoPath(args: string[], env: NodeJS.ProcessEnv): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--db' && args[i + 1]) return args[i + 1]!;
    if (args[i]!.startsWith('--db=')) return args[i]!.slice('--db='.length);
  }
  return env.COSTCTL_DB || DEFAULT_DEMO_DB;
}

export function registerDemo(program: Command): void {
  addJsonFlag(
    program
      .command('demo')
      .description(
        `build a fresh demo database (default ./${DEFAULT_DEMO_DB}) from bundled sample data and summarize it`,
      ),
  ).action(
    handler(async (ctx, opts: { json?: boolean }) => {
      const path = demoPath(ctx.invocation.args, ctx.env);
      const full = resolve(path);
      if (full === resolve('costctl.duckdb')) {
        throw new UsageError(
          `--db ${path}: the demo never writes ./costctl.duckdb; choose another file (default ./${DEFAULT_DEMO_DB})`,
        );
      }
      const { DEMO_NOW, DEMO_STEPS, isDemoDatabase, runDemo } = await import('../services/setup/demo.js');
      if (existsSync(full)) {
        if (!(await isDemoDatabase(full))) {
          throw new DataError(`${path} exists and is not a costctl demo database; remove it or choose another --db`);
        }
        rmSync(full, { force: true });
        rmSync(`${full}.wal`, { force: true });
      }
      const demoCtx = commandContext({
        flags: { db: full, tz: ctx.config.tz },
        seedCatalog: false, // the demo's own first step imports the catalog
        env: { ...ctx.env, COSTCTL_NOW: DEMO_NOW },
        invocation: ctx.invocation,
        out: ctx.out,
        err: ctx.err,
      });
      if (ctx.interactive) ctx.err(`building ${path} …`);
      const { jobsDemoStep } = await import('../../jobs/demo-run.js');
      const steps = [...DEMO_STEPS, jobsDemoStep];
      const summary = await demoCtx.withDb((db) => runDemo(db, { now: demoCtx.now(), note: ctx.err, steps }), {
        mutates: true,
      });
      if (opts.json) return ctx.out(renderJson(summary));
      ctx.out(
        `demo database: ${path} (data ${summary.period.from?.slice(0, 10)} … ${summary.period.until?.slice(0, 10)}, clock pinned at ${DEMO_NOW})`,
      );
      for (const s of summary.steps) ctx.out(`  ${s.outcome}`);
      ctx.out(
        `rows loaded: ${formatCount(summary.rows_loaded)}, computed cost ${formatMoney(summary.usage_total_cost)}`,
      );
      ctx.out(
        renderTable(
          [{ header: 'model' }, { header: 'requests', align: 'right' }, { header: 'cost', align: 'right' }],
          summary.cost_by_model.map((m) => [m.model, formatCount(m.rows), money(m.cost)]),
        ),
      );
      if (summary.unpriced.length) {
        ctx.out(
          `unpriced usage: ${summary.unpriced.map((u) => `${u.model} (${counted(u.rows, 'request')}, no catalog price)`).join(', ')}`,
        );
      }
      if (summary.billing_lines)
        ctx.out(
          `billed by providers: ${formatMoney(summary.billed_total)} over ${counted(summary.billing_lines, 'line')}`,
        );
      // The demo's data ends on its pinned clock: a report run "now" would show empty windows, so the
      // hint carries the clock, and names the CLI the way the user reached it (npx from the clone).
      const cli = ctx.env.npm_command === 'exec' ? 'npx costctl' : 'costctl';
      ctx.out(`try: COSTCTL_NOW=${DEMO_NOW} ${cli} --db ${path} dashboard`);
      ctx.out(`     ${cli} --db ${path} records list --department sales-east --limit 5`);
    }),
  );
}
