// `costctl records list|export`: the priced usage rows (the cost records API).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Context } from '../context.js';
import { addJsonFlag, choiceOption, dateText, positiveInt, UNTIL_HELP, untilFlag, whenFlag } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { counted } from '../render/plural.js';
import { formatMoney } from '../domain/money.js';
import { TOKEN_COLUMNS } from '../db/usage-columns.js';
import { renderJson } from '../render/json.js';
import { localCell, zoned } from '../render/local-time.js';
import { money, renderTable } from '../render/table.js';
import { formatCount } from '../render/count.js';
import type { RecordFilter } from '../services/usage/records.js';
import { FILTER_COLUMNS, type FilterName, type UsageFilters } from '../db/usage-filters.js';
import { filterValues } from '../cli/report-flags.js';

const FORMATS = ['csv', 'json', 'parquet'] as const;
type Format = (typeof FORMATS)[number];
const TABLE_LIMIT = 100;

interface FilterOpts extends UsageFilters {
  since?: string;
  until?: string;
}

/** The record filters; each dimension is repeatable or comma-separated, as in the reports. */
function addFilters(cmd: Command): Command {
  return cmd
    .option('--since <date>', 'requests at or after this date/time (reporting time zone)', dateText)
    .option('--until <date>', UNTIL_HELP, dateText)
    .option('--user <id>', 'only these user_ids (repeatable, or comma-separated)', filterValues('--user'))
    .option('--department <name>', 'only these departments', filterValues('--department'))
    .option('--organization <name>', 'only these organizations', filterValues('--organization'))
    .option('--model <name>', 'only these models (as logged, or the catalog name)', filterValues('--model'))
    .option('--provider <name>', 'only these providers', filterValues('--provider'))
    .option('--project <name>', 'only these projects', filterValues('--project'))
    .option('--account <id>', 'only these account_ids', filterValues('--account'))
    .option('--session <id>', 'only these session_ids', filterValues('--session'))
    .option(
      '--request-type <type>',
      'only these request_types (chat, batch, embedding, …)',
      filterValues('--request-type'),
    );
}

function filterOf(ctx: Context, opts: FilterOpts): RecordFilter {
  const since = whenFlag('--since', opts.since, ctx.config.tz, ctx.now());
  const until = untilFlag('--until', opts.until, ctx.config.tz, ctx.now());
  if (since && until && until <= since)
    throw new UsageError(`--until ${opts.until} must be after --since ${opts.since}`);
  const filters: UsageFilters = {};
  for (const name of Object.keys(FILTER_COLUMNS) as FilterName[]) if (opts[name]) filters[name] = opts[name];
  return { since, until, filters };
}

function exportFormat(out: string, format: Format | undefined): Format {
  if (format) return format;
  if (/\.json$/i.test(out)) return 'json';
  if (/\.parquet$/i.test(out)) return 'parquet';
  return 'csv';
}

export function registerRecords(program: Command): void {
  const records = program.command('records').description('priced usage rows (cost records): list and export');

  addJsonFlag(
    addFilters(records.command('list').description('usage rows, oldest first, with the total cost')).option(
      '--limit <n>',
      `at most n rows (table default ${TABLE_LIMIT}; the total covers every matching row)`,
      positiveInt,
    ),
  ).action(
    handler(async (ctx, opts: FilterOpts & { limit?: number; json?: boolean }) => {
      const filter = filterOf(ctx, opts);
      const { listRecords } = await import('../services/usage/records.js');
      const limit = opts.limit ?? (opts.json ? undefined : TABLE_LIMIT);
      const list = await ctx.withDb((db) => listRecords(db, filter, limit));
      if (opts.json) return ctx.out(renderJson(list.rows));
      if (list.matching === 0) return ctx.out('No usage records. Load usage logs with `costctl ingest PATH`.');
      ctx.out(
        renderTable(
          [
            { header: zoned('time', ctx.config.tz) },
            { header: 'user' },
            { header: 'department' },
            { header: 'model' },
            { header: 'in', align: 'right' },
            { header: 'out', align: 'right' },
            { header: 'cache r/w', align: 'right' },
            { header: 'cost', align: 'right' },
          ],
          list.rows.map((r) => [
            localCell(String(r.timestamp), ctx.config.tz),
            r.user_id as string,
            r.department as string,
            r.model as string,
            formatCount(r.input_tokens as string),
            formatCount(r.output_tokens as string),
            `${formatCount(r.cache_read_tokens as string)}/${formatCount(BigInt(r.cache_write_tokens as string) + BigInt(r.cache_write_1h_tokens as string))}`,
            r.unpriced ? 'unpriced' : money(r.total_cost as string),
          ]),
        ),
      );
      const shown =
        list.rows.length < list.matching ? `showing ${list.rows.length} of ${counted(list.matching, 'row')}; ` : '';
      ctx.out(
        `${shown}total ${formatMoney(list.total_cost)} over ${counted(list.matching, 'row')}${list.unpriced_rows ? ` (${formatCount(list.unpriced_rows)} unpriced, not in the total)` : ''}${list.partly_unpriced_rows ? ` (${formatCount(list.partly_unpriced_rows)} partly unpriced: components without a price are not in the total)` : ''}`,
      );
    }),
  );

  addJsonFlag(
    addFilters(
      records
        .command('restated')
        .description(
          'usage-report rows a later pull of the same bucket restated: tokens, requests and cost before and after',
        ),
    ),
  ).action(
    handler(async (ctx, opts: FilterOpts & { json?: boolean }) => {
      const filter = filterOf(ctx, opts);
      const { listRestatedRecords } = await import('../services/usage/records.js');
      const rows = await ctx.withDb((db) => listRestatedRecords(db, filter));
      if (opts.json) return ctx.out(renderJson(rows));
      if (rows.length === 0)
        return ctx.out('No restated usage rows: no usage report pulled again has changed a stored bucket.');
      const tokens = (r: Record<string, string | null>, when: 'before' | 'after') =>
        formatCount(TOKEN_COLUMNS.reduce((n, f) => n + BigInt(r[`${f}_${when}`] ?? 0), 0n));
      ctx.out(
        renderTable(
          [
            { header: zoned('bucket', ctx.config.tz) },
            { header: 'model' },
            { header: 'user' },
            { header: 'tokens before', align: 'right' },
            { header: 'tokens after', align: 'right' },
            { header: 'cost before', align: 'right' },
            { header: 'cost after', align: 'right' },
            { header: 'restated by' },
          ],
          rows.map((r) => [
            localCell(String(r.timestamp), ctx.config.tz),
            r.model,
            r.user_id,
            tokens(r, 'before'),
            tokens(r, 'after'),
            r.total_cost_before === null ? 'unpriced' : money(r.total_cost_before),
            r.total_cost_after === null ? 'unpriced' : money(r.total_cost_after),
            r.restated_by,
          ]),
        ),
      );
      ctx.out(`${rows.length} restatement${rows.length === 1 ? '' : 's'}; records list shows the rows in force now`);
    }),
  );

  addFilters(
    records
      .command('export')
      .description('write usage rows to a file: native usage-log fields + pricing columns (CSV safe for spreadsheets)')
      .requiredOption('--out <file>', 'file to write (a regular file is replaced; - writes to stdout)')
      .addOption(
        choiceOption('--format <format>', 'file format (default: from the --out extension, else csv)', FORMATS),
      )
      .option('--mask', 'replace user and account ids with stable pseudonyms'),
  ).action(
    handler(async (ctx, opts: FilterOpts & { out: string; format?: Format; mask?: boolean }) => {
      const filter = filterOf(ctx, opts);
      const format = exportFormat(opts.out, opts.format);
      const { exportRecords } = await import('../services/usage/records.js');
      const rows = await ctx.withDb((db) => exportRecords(db, filter, { out: opts.out, format, mask: opts.mask }));
      ctx.err(`wrote ${rows} record${rows === 1 ? '' : 's'} to ${opts.out === '-' ? 'stdout' : opts.out} (${format})`);
    }),
  );
}
