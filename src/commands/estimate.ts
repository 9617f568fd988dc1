// `costctl estimate`: the exact cost of a request before it is made.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { addJsonFlag, choiceOption, dateText, whenFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { formatMoney } from '../domain/money.js';
import { requestUnits } from '../domain/pricing.js';
import { renderJson } from '../render/json.js';
import { renderTable } from '../render/table.js';
import { addRequestUnitFlags, type RequestUnitFlags } from './request-flags.js';
import { estimateRequest } from '../services/prices/estimate.js';

interface EstimateOptions extends RequestUnitFlags {
  model: string;
  maxOutputTokens?: bigint;
  requestType?: string;
  speed?: string;
  region?: string;
  at?: string;
  json?: boolean;
}

export function registerEstimate(program: Command): void {
  const cmd = program
    .command('estimate')
    .description('price one request exactly, component by component')
    .requiredOption('--model <name>', 'model name as callers use it');
  addRequestUnitFlags(cmd, { maxOutput: true })
    .option('--request-type <type>', 'chat, batch, … (batch uses batch prices)')
    .addOption(
      choiceOption('--speed <speed>', "served speed (fast: the catalog's fast/… prices)", ['standard', 'fast']),
    )
    .option('--region <region>', "where it is served (us: the catalog's us/… prices, else standard)")
    .option('--at <timestamp>', 'price with the version in force at this instant (default now)', dateText);
  addJsonFlag(cmd).action(
    handler(async (ctx, opts: EstimateOptions) => {
      if (opts.outputTokens !== undefined && opts.maxOutputTokens !== undefined) {
        throw new UsageError('give --output-tokens or --max-output-tokens, not both');
      }
      const at = whenFlag('--at', opts.at, ctx.config.tz, ctx.now()) ?? ctx.now();
      const units = requestUnits({
        inputTokens: opts.inputTokens,
        outputTokens: opts.outputTokens ?? opts.maxOutputTokens,
        cacheReadTokens: opts.cacheReadTokens,
        cacheWriteTokens: opts.cacheWriteTokens,
        cacheWrite1hTokens: opts.cacheWrite1hTokens,
        requests: opts.requests,
        durationSeconds: opts.durationSeconds,
        bytes: opts.bytes,
        requestType: opts.requestType,
      });
      const estimate = await ctx.withDb((db) =>
        estimateRequest(db, opts.model, units, at, { speed: opts.speed, region: opts.region }),
      );
      if (opts.json) {
        ctx.out(renderJson(estimate));
        return;
      }
      if (estimate.unpriced) {
        ctx.out(
          `${estimate.model} has no price in force at ${at.toISOString()}: unpriced (add one with \`costctl models update\`)`,
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
      ctx.out(
        `${estimate.model} (${estimate.provider}), price version ${estimate.price_version}${rules}\n` +
          renderTable(
            [
              { header: 'component' },
              { header: estimate.currency, align: 'right' },
              { header: 'exact', align: 'right' },
            ],
            rows.map(([k, v]) => [k, formatMoney(v, estimate.currency), v]),
          ),
      );
    }),
  );
}
