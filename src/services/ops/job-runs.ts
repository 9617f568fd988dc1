// The record of job runs: one row per run, written when it starts and completed when it ends, so
// `jobs list` can show the last outcome and `jobs history` every run.
import type { Db, SqlParam, Row } from '../../db/database.js';
import { sqlTimestamp } from '../../domain/time.js';

export const JOB_STATUSES = ['running', 'ok', 'attention', 'failed', 'unavailable', 'skipped'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobRun {
  id: number;
  job: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  status: JobStatus;
  summary: string | null;
  error: string | null;
  details: unknown;
}

export async function startRun(db: Db, job: string, trigger: string, now: Date): Promise<number> {
  const row = await db.one<{ id: string }>(
    `INSERT INTO job_runs (job, trigger, started_at) VALUES (?, ?, ?::TIMESTAMP) RETURNING id::VARCHAR AS id`,
    [job, trigger, sqlTimestamp(now)],
  );
  return Number(row!.id);
}

export async function finishRun(
  db: Db,
  id: number,
  outcome: { status: JobStatus; summary: string; error?: string | null; details?: unknown },
  now: Date,
): Promise<void> {
  await db.run(
    `UPDATE job_runs SET finished_at = ?::TIMESTAMP, status = ?, summary = ?, error = ?, details = ?::JSON WHERE id = ?`,
    [
      sqlTimestamp(now),
      outcome.status,
      outcome.summary,
      outcome.error ?? null,
      JSON.stringify(outcome.details ?? null),
      id,
    ],
  );
}

const SELECT = `id, job, trigger, strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS started_at,
  strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ') AS finished_at, status, summary, error, details::VARCHAR AS details`;

function toRun(r: Row): JobRun {
  return { ...r, id: Number(r.id), details: JSON.parse(r.details ?? 'null') } as JobRun;
}

export async function jobHistory(db: Db, filter: { job?: string; limit: number }): Promise<JobRun[]> {
  const params: SqlParam[] = [];
  let where = '';
  if (filter.job) {
    where = 'WHERE job = ?';
    params.push(filter.job);
  }
  params.push(filter.limit);
  const rows = await db.all(`SELECT ${SELECT} FROM job_runs ${where} ORDER BY id DESC LIMIT ?`, params);
  return rows.map(toRun);
}

/** The latest run of each job. */
export async function lastRuns(db: Db): Promise<Map<string, JobRun>> {
  const rows = await db.all(
    `SELECT ${SELECT} FROM job_runs QUALIFY row_number() OVER (PARTITION BY job ORDER BY id DESC) = 1`,
  );
  return new Map(rows.map((r) => [r.job as string, toRun(r)]));
}
