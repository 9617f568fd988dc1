// `costctl ingest PATH…`: load usage logs and billing exports, exactly once, every row accounted for.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { DataError, UsageError } from '../errors.js';
import { addJsonFlag, choiceOption } from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { counted } from '../render/plural.js';
import { formatCount } from '../render/count.js';
import { formatMoney } from '../domain/money.js';
import { formatNames } from '../ingest/index.js';
import { renderJson } from '../render/json.js';
import { renderCsv } from '../render/table.js';
import { servedWarningLines, servedWarnings } from '../render/ingest-warnings.js';
import type { Db } from '../db/database.js';
import { type AcceptedFlags, acceptedInstantsOf, addAcceptedFlags } from './accepted-flags.js';
import { ingestProgressText, LiveLine } from '../render/progress.js';
import { terminalWidth } from '../render/terminal.js';
import type { InputFile } from '../services/ingest/inputs.js';
import type { FileReport, IngestReport, RejectRow } from '../services/ingest/pipeline.js';

interface IngestFlags extends AcceptedFlags {
  watch?: boolean;
  interval: string;
  format?: string;
  source?: string;
  dryRun?: boolean;
  strict?: boolean;
  rejects?: string;
  json?: boolean;
}

const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/;

function writeRejects(path: string, rows: RejectRow[]): void {
  writeFileSync(
    path,
    `${renderCsv(
      ['file', 'line', 'reason', 'raw'],
      rows.map((r) => [r.file, r.line, r.reason, r.raw]),
    )}\n`,
  );
}

function fileLine(f: FileReport): string {
  // Unpriced rows have no cost: a file of only unpriced rows has an unknown cost, never "$0.00".
  const unpriced = f.unpricedModels.reduce((n, u) => n + u.rows, 0);
  const usageCost =
    unpriced > 0 && unpriced >= f.rows_loaded
      ? 'cost unknown (unpriced)'
      : `cost ${formatMoney(f.total_cost)}${unpriced ? ` + ${counted(unpriced, 'unpriced row')}` : ''}`;
  const cost = f.kind === 'billing' ? `billed ${formatMoney(f.total_cost)}` : usageCost;
  return `${f.path} (${f.format}): ${formatCount(f.rows_read)} read, ${formatCount(f.rows_loaded)} loaded, ${formatCount(f.rows_duplicate)} duplicate, ${formatCount(f.rows_rejected)} rejected, ${cost}`;
}

/**
 * Progress of each file on a terminal: a live line (step, DuckDB's own progress of the running statement,
 * MB read and the rate while reading) while it loads, then its summary line (rows, MB, time, rows/s).
 */
async function ingestProgress(db: Db, err: (text: string) => void) {
  await db.trackProgress();
  const line = new LiveLine(
    (raw) => process.stderr.write(raw),
    () => terminalWidth(process.stderr),
  );
  let current: { file: InputFile; step: 'reading' | 'loading'; started: number; percentage: number | null } | undefined;
  const draw = () => {
    if (!current) return;
    // Between two statements of a step DuckDB reports nothing: keep showing the last figure.
    current.percentage = db.queryProgress() ?? current.percentage;
    const { file, step, started, percentage } = current;
    line.show(
      ingestProgressText({
        path: file.displayPath,
        sizeBytes: file.sizeBytes,
        step,
        percentage,
        elapsedMs: Date.now() - started,
      }),
    );
  };
  const timer = setInterval(draw, 250);
  return {
    onFile: ({
      phase,
      file,
      report,
    }: {
      phase: 'start' | 'loading' | 'done';
      file: InputFile;
      report?: FileReport;
    }) => {
      if (phase === 'start') current = { file, step: 'reading', started: Date.now(), percentage: null };
      else if (phase === 'loading' && current) Object.assign(current, { step: 'loading', percentage: null });
      if (phase !== 'done') return draw();
      const secs = Math.max((Date.now() - (current?.started ?? Date.now())) / 1000, 0.001);
      current = undefined;
      line.clear();
      const rows = report?.rows_read ?? 0;
      err(
        `${file.displayPath}: ${formatCount(rows)} rows, ${(file.sizeBytes / 1e6).toFixed(1)} MB in ${secs.toFixed(1)} s (${formatCount(Math.round(rows / secs))} rows/s)`,
      );
    },
    stop: () => {
      clearInterval(timer);
      line.clear();
    },
  };
}

/** A file that changed figures already stored says so (on stderr, like other notices). */
function restatedLines(f: FileReport): string[] {
  const plural = (n: number, word: string) => `${n} stored ${word}${n === 1 ? '' : 's'}`;
  return f.restated.map((r) =>
    f.kind === 'billing'
      ? `${f.path}: restated ${plural(r.rows, 'billing line')} with new amounts: billed ${formatMoney(r.before, r.group)} → ${formatMoney(r.after, r.group)} (earlier values kept: costctl billing restated)`
      : `${f.path}: restated ${plural(r.rows, 'usage row')} with new figures (report buckets pulled again): ${formatCount(r.before)} → ${formatCount(r.after)} tokens (earlier rows kept: costctl records restated)`,
  );
}

/** Repeats of a request id with other content: counted as duplicates, and named here (the first 20). */
function conflictLines(f: FileReport): string[] {
  if (f.conflicts.count === 0) return [];
  const lines = f.conflicts.first
    .slice(0, 20)
    .map(
      (c) =>
        `${f.path}:${c.line}: request_id "${c.request_id}" repeats the row kept from ${c.kept_file}${c.kept_line === null ? '' : `:${c.kept_line}`} with other content; the kept row stays`,
    );
  const more = f.conflicts.count - lines.length;
  return [
    ...lines,
    `${f.path}: ${f.conflicts.count} duplicate${f.conflicts.count === 1 ? '' : 's'} conflict with the kept row's content${more > 0 ? ` (${more} more not shown)` : ''}; give such requests their own request_id`,
  ];
}

export function ingestJson(report: IngestReport) {
  const warnings = servedWarnings(report.files);
  return {
    files: report.files.map((f) => ({
      path: f.path,
      format: f.format,
      kind: f.kind,
      rows_read: f.rows_read,
      rows_loaded: f.rows_loaded,
      rows_duplicate: f.rows_duplicate,
      rows_rejected: f.rows_rejected,
      total_cost: f.total_cost,
    })),
    unpriced_models: report.unpriced_models,
    total_cost: report.total_cost,
    // Rows stored as written but priced at standard: an unknown service_tier, speed or region (#15).
    warnings,
  };
}

export function registerIngest(program: Command): void {
  const cmd = addJsonFlag(
    program
      .command('ingest')
      .description('load usage logs and billing exports (files, directories, or - for stdin)')
      .argument('<paths...>', 'files, directories (walked recursively) or - for stdin')
      .addOption(
        choiceOption(
          '--format <format>',
          'read every input as this format (default: detected from content)',
          formatNames(),
        ),
      )
      .option(
        '--source <name>',
        'source name stored on usage rows (default: the format); part of the de-duplication key',
      )
      .option('--dry-run', 'read, check and count everything, then store nothing')
      .option('--strict', 'any rejected row fails its file (exit 1) and nothing of that file is loaded')
      .option('--rejects <file>', 'also write the rejected rows to this CSV file')
      .option('--watch', 'keep the folders loaded as their files grow (Claude Code sessions); Ctrl-C stops')
      .option('--interval <seconds>', 'with --watch: how often to look for new lines', '2'),
  );
  addAcceptedFlags(cmd).action(
    handler(async (ctx, opts: IngestFlags, paths: string[]) => {
      if (opts.source !== undefined && !SOURCE_NAME.test(opts.source)) {
        throw new UsageError(
          `--source: "${opts.source}" must be 1-100 letters, digits or . _ : @ / - (e.g. gateway-eu)`,
        );
      }
      if (opts.watch) {
        const { runWatch } = await import('./ingest-watch.js');
        return runWatch(ctx, paths, opts, (db) => ingestProgress(db, ctx.err));
      }
      const accepted = acceptedInstantsOf(ctx.config, opts);
      if (opts.rejects !== undefined && !existsSync(dirname(resolve(opts.rejects)))) {
        throw new UsageError(`--rejects: folder ${dirname(resolve(opts.rejects))} does not exist`);
      }
      const { collectInputs, requireFormatForStdin, spoolStdin } = await import('../services/ingest/inputs.js');
      const { ingestFiles, planIngest, StrictRejects } = await import('../services/ingest/pipeline.js');
      requireFormatForStdin(paths, opts.format);
      const skipped: string[] = [];
      const files = collectInputs(paths, skipped);
      let cleanup = () => {};
      if (paths.includes('-')) {
        const spooled = await spoolStdin(process.stdin);
        files.push(spooled.file);
        cleanup = spooled.cleanup;
      }
      try {
        const plan = planIngest(files, opts.format, skipped);
        if (skipped.length)
          ctx.err(
            `skipped ${skipped.length} file(s) found in the folder(s) that costctl does not read: ${skipped.slice(0, 10).join(', ')}${skipped.length > 10 ? ', …' : ''} (name a file, with --format, to load it)`,
          );
        if (plan.length === 0)
          throw new DataError(
            `nothing to ingest: no data files (.jsonl, .ndjson, .json, .csv, .parquet with content) in ${paths.join(', ')}`,
          );
        let report: IngestReport;
        try {
          report = await ctx.withDb(
            async (db) => {
              const progress = ctx.interactive ? await ingestProgress(db, ctx.err) : undefined;
              try {
                return await ingestFiles(db, plan, {
                  format: opts.format,
                  source: opts.source,
                  dryRun: opts.dryRun,
                  strict: opts.strict,
                  now: ctx.now(),
                  accepted,
                  alerts: { tz: ctx.config.tz, actor: ctx.actor },
                  onFile: progress?.onFile,
                  // Claude Code batch size in MiB: a knob for tests (a kill between two batches' commits).
                  batchBytes: Number(ctx.env.COSTCTL_INGEST_BATCH_MB) * 2 ** 20 || undefined,
                });
              } finally {
                progress?.stop();
              }
            },
            { mutates: !opts.dryRun },
          );
        } catch (e) {
          if (e instanceof StrictRejects && opts.rejects) writeRejects(opts.rejects, e.rejects);
          throw e;
        }
        const rejects = report.files.flatMap((f) => f.rejects);
        // A later file failed --strict after earlier ones committed: its rejects go to the file too.
        const failedRejects = report.failure instanceof StrictRejects ? report.failure.rejects : [];
        if (opts.rejects) writeRejects(opts.rejects, [...rejects, ...failedRejects]);
        for (const r of rejects.slice(0, 20)) ctx.err(`${r.file}:${r.line ?? '?'}: ${r.reason}`);
        const totalRejected = report.files.reduce((n, f) => n + f.rows_rejected, 0);
        if (totalRejected > 20) ctx.err(`… ${totalRejected - 20} more rejected rows (costctl rejects list)`);
        if (opts.json) {
          ctx.out(renderJson(ingestJson(report)));
        } else {
          for (const f of report.files) ctx.out(fileLine(f));
          // The total is of usage cost; a run of billing exports alone has none to add up.
          if (report.files.length > 1 && report.files.some((f) => f.kind === 'usage'))
            ctx.out(`total cost ${formatMoney(report.total_cost)}`);
          if (opts.dryRun) ctx.out('dry run: nothing was stored');
        }
        for (const f of report.files) for (const line of restatedLines(f)) ctx.err(line);
        if (report.unchanged) ctx.err(`${report.unchanged} Claude Code file(s) with nothing new since their last read`);
        for (const i of report.incomplete ?? []) {
          ctx.err(
            `${i.path}:${i.line}: last line is still being written (not complete JSON); read when the file grows`,
          );
        }
        for (const f of report.files) for (const line of conflictLines(f)) ctx.err(line);
        for (const line of servedWarningLines(servedWarnings(report.files))) ctx.err(line);
        if (report.alertsRaised) ctx.err(`${report.alertsRaised} alert(s) raised (costctl alerts list)`);
        if (report.unpriced_models.length) {
          ctx.err(
            `unpriced (no catalog price, cost left empty): ${report.unpriced_models.map((u) => `${u.model} (${counted(u.rows, 'row')})`).join(', ')}; add prices with \`costctl models add\`, then run \`costctl reprice\``,
          );
        }
        if (report.failure !== undefined) {
          ctx.err(`${report.files.length} file(s) above were stored; the next one failed and the run stopped there:`);
          throw report.failure;
        }
      } finally {
        cleanup();
      }
    }),
  );
}
