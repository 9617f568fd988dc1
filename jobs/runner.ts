// Runs one job once: record the start, call the job, send what the outbox holds, record the outcome.
// The database is opened per step and closed in between, so operators are never locked out for long.
import type { Context } from '../src/context.js';
import { ExitCode } from '../src/errors.js';
import { deliverOutbox, emptyDeliveryReport, type DeliveryReport } from '../src/notify/deliver.js';
import { deliveryFromConfig, ensureOutboxDir, type Delivery } from '../src/notify/smtp-config.js';
import { finishRun, startRun, type JobStatus } from '../src/services/ops/job-runs.js';
import type { JobDefinition, JobOptions, JobOutcome } from './types.js';

export interface JobRunResult {
  run_id: number;
  job: string;
  trigger: string;
  status: JobStatus;
  summary: string;
  started_at: string;
  emails: DeliveryReport;
}

/** Checks email settings before any work: a bad SMTP URL or unwritable outbox is a config error (exit 2). */
export function checkDelivery(ctx: Context): Delivery {
  const delivery = deliveryFromConfig(ctx.config, ctx.env);
  if (delivery.kind === 'file') ensureOutboxDir(delivery.dir, ctx.config, ctx.env);
  return delivery;
}

function firstLine(e: unknown): string {
  return ((e as Error)?.message ?? String(e)).split('\n')[0]!;
}

export async function runJob(
  ctx: Context,
  job: JobDefinition,
  options: JobOptions = {},
  trigger = 'manual',
): Promise<JobRunResult> {
  const delivery = checkDelivery(ctx);
  const started = ctx.now();
  const runId = await ctx.withDb((db) => startRun(db, job.name, trigger, started));
  let outcome: JobOutcome;
  let error: string | null = null;
  try {
    outcome = await job.run(ctx, options);
  } catch (e) {
    error = firstLine(e);
    outcome = { status: 'failed', summary: `failed: ${error}` };
  }
  // Whatever the job found, messages queued earlier (by this or other runs) still go out now.
  let emails: DeliveryReport = emptyDeliveryReport();
  try {
    emails = await deliverOutbox(ctx.withDb, delivery, ctx.now);
  } catch (e) {
    error = error ?? `email delivery: ${firstLine(e)}`;
  }
  // The job's own work decides its status. Mail trouble (waiting in the outbox for a retry, unconfirmed
  // after a timeout, recipients the server refused) is named in the summary and the error, and makes
  // `jobs run` exit 1.
  const status: JobStatus = outcome.status;
  const refused = emails.sent.reduce((n, s) => n + s.refused.length, 0);
  const troubles = [
    refused ? `${refused} recipient(s) refused: costctl outbox list` : '',
    emails.failed.length ? `${emails.failed.length} waiting in the outbox (${emails.failed[0]!.error})` : '',
    emails.unconfirmed.length
      ? `${emails.unconfirmed.length} unconfirmed (timed out after the server took it; not re-sent: costctl outbox list)`
      : '',
  ].filter(Boolean);
  const mailNote = `emails: ${emails.sent.length} sent${troubles.length ? `, ${troubles.join(', ')}` : ''}`;
  if (troubles.length) error = error ?? `email delivery: ${troubles.join('; ')}`;
  const summary = `${outcome.summary}; ${mailNote}`;
  await ctx.withDb((db) =>
    finishRun(db, runId, { status, summary, error, details: outcome.details ?? null }, ctx.now()),
  );
  return { run_id: runId, job: job.name, trigger, status, summary, started_at: started.toISOString(), emails };
}

/** `jobs run` exit code: 0 ok, 3 something beyond a threshold, 1 failed, not available or mail undelivered. */
/** Mail a run could not deliver for sure: waiting for a retry, unconfirmed after a timeout, or refused. */
export function mailTroubles(emails: JobRunResult['emails']): number {
  return emails.failed.length + emails.unconfirmed.length + emails.sent.reduce((n, s) => n + s.refused.length, 0);
}

export function exitCodeOf(status: JobStatus, mailTroubleCount = 0): number {
  if (status === 'ok') return mailTroubleCount ? ExitCode.failure : ExitCode.ok;
  if (status === 'attention') return ExitCode.denied;
  return ExitCode.failure;
}

export function logLine(r: JobRunResult): string {
  return `${r.started_at} ${r.job} ${r.status}: ${r.summary}`;
}
