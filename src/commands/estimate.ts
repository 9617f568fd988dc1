// `costctl estimate`: the exact cost of a request before it is made.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { addJsonFlag, dateText, whenFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { requestUnits } from '../domain/pricing.js';
import { renderJson } from '../render/json.js';
import { money, renderTable } from '../render/table.js';
import {
  addRequestUnitFlags,
  addServedFlags,
  checkBreakdowns,
  unitCounts,
  type RequestUnitFlags,
  type ServedFlags,
} from './request-flags.js';
import { estimateRequest } from '../services/prices/estimate.js';

interface EstimateOptions extends RequestUnitFlags, ServedFlags {
  model: string;
  maxOutputTokens?: bigint;
  requestType?: string;
  at?: string;
  json?: boolean;
}

export function registerEstimate(program: Command): void {
  const cmd = program
    .command('estimate')
    .description('price one request exactly, component by component')
    .requiredOption('--model <name>', 'model name as callers use it');
  addServedFlags(addRequestUnitFlags(cmd, { maxOutput: true }))
    .option('--request-type <type>', 'chat, batch, … (batch uses batch prices)')
    .option('--at <timestamp>', 'price with the version in force at this instant (default now)', dateText);
  addJsonFlag(cmd).action(
    handler(async (ctx, opts: EstimateOptions) => {
      if (opts.outputTokens !== undefined && opts.maxOutputTokens !== undefined) {
        throw new UsageError('give --output-tokens or --max-output-tokens, not both');
      }
      const at = whenFlag('--at', opts.at, ctx.config.tz, ctx.now()) ?? ctx.now();
      const counts = unitCounts(opts);
      checkBreakdowns(counts, opts.maxOutputTokens !== undefined ? '--max-output-tokens' : '--output-tokens');
      const units = requestUnits({
        ...counts,
        requestType: opts.requestType,
        serviceTier: opts.serviceTier,
        speed: opts.speed,
        region: opts.region,
      });
      const estimate = await ctx.withDb((db) => estimateRequest(db, opts.model, units, at));
      if (opts.json) {
        ctx.out(renderJson(estimate));
        return;
      }
      if (estimate.unpriced) {
        ctx.out(
          estimate.price_rules.length
            ? `${estimate.model}: unpriced (${estimate.price_rules.join('; ')}; add it with \`costctl models update\`)`
            : `${estimate.model} has no price in force at ${at.toISOString()}: unpriced (add one with \`costctl models update\`)`,
        );
        return;
      }
      const rows: [string, string | null][] = [
        ['input', estimate.input_cost],
        ['output', estimate.output_cost],
        ['cache read', estimate.cache_read_cost],
        ['cache write', estimate.cache_write_cost],
        ['base', estimate.base_cost],
        ['total', estimate.total_cost],
      ];
      // Every rule beyond the catalog's plain rates, so the figure can be checked by hand.
      const rules = estimate.price_rules.length ? `\nrules: ${estimate.price_rules.join('; ')}` : '';
      const parts = estimate.unpriced_parts.length
        ? `\npartly unpriced: no price for ${estimate.unpriced_parts.join(', ')} (not in the total)`
        : '';
      ctx.out(
        `${estimate.model} (${estimate.provider}), price version ${estimate.price_version}${rules}${parts}\n` +
          renderTable(
            [
              { header: 'component' },
              { header: estimate.currency, align: 'right' },
              { header: 'exact', align: 'right' },
            ],
            rows.map(([k, v]) => [k, money(v, estimate.currency), v]),
          ),
      );
    }),
  );
}
