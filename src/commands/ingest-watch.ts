// `costctl ingest --watch DIR…`: keeps folders loaded as sessions grow (ccusage's live view, but into the
// database). The database is opened only for a round that found new bytes, so other commands can use it
// in between. One line per round that read something; Ctrl-C (or SIGTERM) stops after the round in
// progress, a second Ctrl-C stops at once (every round commits whole or not at all).
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { Decimal, formatMoney } from '../domain/money.js';
import { formatCount } from '../render/count.js';
import type { InputFile } from '../services/ingest/inputs.js';
import type { IngestReport } from '../services/ingest/pipeline.js';
import { servedWarningLines, servedWarnings } from '../render/ingest-warnings.js';

export interface WatchFlags {
  interval: string;
  format?: string;
  source?: string;
  strict?: boolean;
  json?: boolean;
  dryRun?: boolean;
  rejects?: string;
}

type Progress = (db: import('../db/database.js').Db) => Promise<{
  onFile: NonNullable<import('../services/ingest/pipeline.js').IngestOptions['onFile']>;
  stop: () => void;
}>;

function parseInterval(text: string): number {
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(s >= 0.1 && s <= 3600)) {
    throw new UsageError(`--interval: "${text}" must be seconds between 0.1 and 3600 (e.g. 2)`);
  }
  return s * 1000;
}

export async function runWatch(ctx: Context, dirs: string[], flags: WatchFlags, progress: Progress): Promise<void> {
  const intervalMs = parseInterval(flags.interval);
  for (const [flag, on] of [
    ['--json', flags.json],
    ['--dry-run', flags.dryRun],
    ['--rejects', flags.rejects],
  ] as const) {
    if (on) throw new UsageError(`${flag} cannot be used with --watch (it reports once; --watch runs until stopped)`);
  }
  if (dirs.includes('-')) throw new UsageError('--watch reads folders, not stdin (`-`)');
  const { watchFolders } = await import('../services/ingest/watch.js');
  const { ingestFiles, planIngest } = await import('../services/ingest/pipeline.js');
  const stop = new AbortController();
  const onSignal = (signal: string) => {
    ctx.err(`${signal}: stopping after the read in progress (again to stop at once)`);
    stop.abort();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  let rows = 0;
  let cost = '0';
  ctx.err(`watching ${dirs.join(', ')} every ${intervalMs / 1000} s (Ctrl-C stops)`);
  try {
    const { rounds } = await watchFolders({
      dirs,
      intervalMs,
      signal: stop.signal,
      load: async (files: InputFile[]) => {
        const plan = planIngest(files, flags.format);
        if (plan.length === 0) return;
        const report = await ctx.withDb(
          async (db) => {
            const live = ctx.interactive ? await progress(db) : undefined;
            try {
              return await ingestFiles(db, plan, {
                format: flags.format,
                source: flags.source,
                strict: flags.strict,
                now: ctx.now(),
                alerts: { tz: ctx.config.tz, actor: ctx.actor },
                onFile: live?.onFile,
              });
            } finally {
              live?.stop();
            }
          },
          { mutates: true },
        );
        const round = roundLine(ctx.now(), report);
        if (round) ctx.out(round);
        for (const f of report.files)
          for (const r of f.rejects.slice(0, 5)) ctx.err(`${r.file}:${r.line ?? '?'}: ${r.reason}`);
        for (const line of servedWarningLines(servedWarnings(report.files), 5)) ctx.err(line);
        rows += report.files.reduce((n, f) => n + f.rows_loaded, 0);
        cost = new Decimal(cost).plus(report.total_cost).toFixed();
        if (report.failure !== undefined) throw report.failure;
      },
    });
    ctx.err(`stopped after ${rounds} round(s): ${formatCount(rows)} row(s) loaded, cost ${formatMoney(cost)}`);
  } finally {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
  }
}

/** One line for a round that read something: when, what it added, from how many files. */
function roundLine(now: Date, report: IngestReport): string | undefined {
  if (report.files.length === 0) return undefined;
  const loaded = report.files.reduce((n, f) => n + f.rows_loaded, 0);
  const read = report.files.reduce((n, f) => n + f.rows_read, 0);
  const time = now.toISOString().slice(0, 19).replace('T', ' ');
  return `${time}Z  ${report.files.length} file(s): ${formatCount(read)} read, ${formatCount(loaded)} loaded, cost ${formatMoney(report.total_cost)}`;
}
