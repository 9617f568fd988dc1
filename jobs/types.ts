// What a job is: a name, a default schedule, and a run function that calls services exactly like a
// command does (through the Context: config, clock, database opened per use).
import type { Context } from '../src/context.js';

export type JobOutcomeStatus = 'ok' | 'attention' | 'failed' | 'unavailable';

export interface JobOutcome {
  /** `attention`: the job worked and found something beyond a threshold (e.g. a reconciliation difference). */
  status: JobOutcomeStatus;
  summary: string;
  details?: unknown;
}

export interface JobOptions {
  /** reconcile: one local day (default yesterday), or a range. */
  date?: string;
  since?: string;
  until?: string;
}

export interface JobDefinition {
  name: string;
  /** Cron expression (5 fields), evaluated in the reporting time zone. */
  defaultSchedule: string;
  description: string;
  run(ctx: Context, options: JobOptions): Promise<JobOutcome>;
}
