// `costctl dashboard`: today, this month, last month, quotas, alerts, cost by type, top users, 30-day chart.
import type { Command } from 'commander';
import { addJsonFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';

export function registerDashboard(program: Command): void {
  addJsonFlag(
    program.command('dashboard').description('cost today and this month, quotas, alerts, top users, 30-day trend'),
  ).action(
    handler(async (ctx, opts: { json?: boolean }) => {
      const { buildDashboard } = await import('../services/reports/dashboard.js');
      const dashboard = await ctx.withDb((db) => buildDashboard(db, { at: ctx.now(), tz: ctx.config.tz }));
      if (opts.json) {
        const { renderJson } = await import('../render/json.js');
        ctx.out(renderJson(dashboard));
        return;
      }
      const { renderDashboard } = await import('../render/dashboard.js');
      ctx.out(renderDashboard(dashboard));
    }),
  );
}
