// `costctl billing …`: the lines providers charged (loaded by `costctl ingest` from billing exports).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { addJsonFlag, choiceOption, dateText, positiveInt, UNTIL_HELP, untilFlag, whenFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import type { Context } from '../context.js';
import { formatMoney } from '../domain/money.js';
import { renderJson } from '../render/json.js';
import { localCell, zoned } from '../render/local-time.js';
import { money, renderTable } from '../render/table.js';
import { formatCount } from '../render/count.js';
import { counted } from '../render/plural.js';
import type { BillingFilter, BillingList, RestatedLine } from '../services/billing/lines.js';

const FORMATS = ['csv', 'json', 'parquet'] as const;
const TABLE_LIMIT = 100;
type Format = (typeof FORMATS)[number];

interface FilterOpts {
  since?: string;
  until?: string;
  provider?: string;
}

function addFilters(cmd: Command): Command {
  return cmd
    .option('--since <date>', 'charges starting at or after this date (reporting time zone)', dateText)
    .option('--until <date>', `charges ${UNTIL_HELP}`, dateText)
    .option('--provider <name>', 'only this provider (case-insensitive)');
}

function filterOf(ctx: Context, opts: FilterOpts): BillingFilter {
  const since = whenFlag('--since', opts.since, ctx.config.tz, ctx.now());
  const until = untilFlag('--until', opts.until, ctx.config.tz, ctx.now());
  if (since && until && until <= since)
    throw new UsageError(`--until ${opts.until} must be after --since ${opts.since}`);
  if (opts.provider !== undefined && opts.provider.trim() === '') throw new UsageError('--provider must not be empty');
  return { since, until, provider: opts.provider?.trim() };
}

/** --format wins; otherwise the --out extension (.json, .parquet), else CSV. */
export function exportFormat(out: string, format: Format | undefined): Format {
  if (format) return format;
  if (/\.json$/i.test(out)) return 'json';
  if (/\.parquet$/i.test(out)) return 'parquet';
  return 'csv';
}

function renderBilling(list: BillingList, tz: string): string {
  if (list.matching === 0)
    return 'No billing lines. Load a billing export with `costctl ingest FILE` (FOCUS, OpenAI costs, Anthropic cost report).';
  const table = renderTable(
    [
      { header: zoned('charge start', tz) },
      { header: 'provider' },
      { header: 'service' },
      { header: 'model' },
      { header: 'category' },
      { header: 'quantity', align: 'right' },
      { header: 'unit' },
      { header: 'billed', align: 'right' },
    ],
    list.lines.map((l) => [
      localCell(l.charge_period_start, tz),
      l.provider,
      l.service,
      l.model,
      l.charge_category,
      l.quantity === null ? '' : formatCount(l.quantity.replace(/\.?0+$/, '')),
      l.unit,
      money(l.billed_cost, l.currency),
    ]),
  );
  const shown =
    list.lines.length < list.matching
      ? `showing ${formatCount(list.lines.length)} of ${counted(list.matching, 'line')} (--limit, --json or billing export for more); `
      : '';
  const totals = list.totals
    .map((t) => `${formatMoney(t.billed_cost, t.currency)} (${counted(t.lines, 'line')})`)
    .join(', ');
  return `${table}\n${shown}billed total: ${totals}`;
}

function renderRestated(lines: RestatedLine[], tz: string): string {
  if (lines.length === 0)
    return 'No restated billing lines: no export has changed the amounts of a line already stored.';
  const table = renderTable(
    [
      { header: zoned('charge start', tz) },
      { header: 'provider' },
      { header: 'sku' },
      { header: 'billed before', align: 'right' },
      { header: 'billed after', align: 'right' },
      { header: 'restated by' },
      { header: zoned('at', tz) },
    ],
    lines.map((l) => [
      localCell(l.charge_period_start, tz),
      l.provider,
      l.sku ?? l.model,
      money(l.billed_cost_before, l.currency),
      money(l.billed_cost_after, l.currency),
      l.restated_by,
      localCell(l.restated_at, tz),
    ]),
  );
  return `${table}\n${lines.length} restatement${lines.length === 1 ? '' : 's'}; billing list shows the amounts in force now`;
}

export function registerBilling(program: Command): void {
  const billing = program.command('billing').description('what providers charged, from billing exports');

  addJsonFlag(
    addFilters(billing.command('list').description('billing lines, oldest charge first, with the billed total')).option(
      '--limit <n>',
      `show at most n lines (table default ${TABLE_LIMIT}; the total still covers every matching line)`,
      positiveInt,
    ),
  ).action(
    handler(async (ctx, opts: FilterOpts & { limit?: number; json?: boolean }) => {
      const filter = filterOf(ctx, opts);
      const { listBilling } = await import('../services/billing/lines.js');
      // A person reading a table wants the first screenful and the total; a program asking for JSON gets all.
      const limit = opts.limit ?? (opts.json ? undefined : TABLE_LIMIT);
      const list = await ctx.withDb((db) => listBilling(db, filter, limit));
      ctx.out(opts.json ? renderJson(list.lines) : renderBilling(list, ctx.config.tz));
    }),
  );

  addJsonFlag(
    addFilters(
      billing
        .command('restated')
        .description(
          'billing lines a later export restated: the amounts before and after, and which file changed them',
        ),
    ),
  ).action(
    handler(async (ctx, opts: FilterOpts & { json?: boolean }) => {
      const filter = filterOf(ctx, opts);
      const { listRestated } = await import('../services/billing/lines.js');
      const lines = await ctx.withDb((db) => listRestated(db, filter));
      ctx.out(opts.json ? renderJson(lines) : renderRestated(lines, ctx.config.tz));
    }),
  );

  addFilters(
    billing
      .command('export')
      .description('write billing lines to a file (CSV safe to open in a spreadsheet, exact decimals)')
      .requiredOption('--out <file>', 'file to write (a regular file is replaced; - writes to stdout)')
      .addOption(
        choiceOption('--format <format>', 'file format (default: from the --out extension, else csv)', FORMATS),
      )
      .option('--mask', 'replace billing account ids with stable pseudonyms'),
  ).action(
    handler(async (ctx, opts: FilterOpts & { out: string; format?: Format; mask?: boolean }) => {
      const filter = filterOf(ctx, opts);
      const format = exportFormat(opts.out, opts.format);
      const { exportBilling } = await import('../services/billing/lines.js');
      const rows = await ctx.withDb((db) => exportBilling(db, filter, { out: opts.out, format, mask: opts.mask }));
      ctx.err(
        `wrote ${rows} billing line${rows === 1 ? '' : 's'} to ${opts.out === '-' ? 'stdout' : opts.out} (${format})`,
      );
    }),
  );
}
