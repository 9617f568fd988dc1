// Every scheduled job, in the order `jobs list` shows them.
import { UsageError } from '../src/errors.js';
import type { ResolvedConfig } from '../src/config/config.js';
import { anomalyScan } from './anomaly-scan.js';
import { dailyDigest } from './daily-digest.js';
import { optimizationReportJob } from './optimization-report.js';
import { reconcileJob } from './reconcile.js';
import { thresholdCheck } from './threshold-check.js';
import type { JobDefinition } from './types.js';

export const JOBS: JobDefinition[] = [thresholdCheck, anomalyScan, reconcileJob, optimizationReportJob, dailyDigest];

export function findJob(name: string): JobDefinition {
  const job = JOBS.find((j) => j.name === name);
  if (!job) throw new UsageError(`unknown job "${name}" (jobs: ${JOBS.map((j) => j.name).join(', ')})`);
  return job;
}

export interface JobPlan {
  job: JobDefinition;
  schedule: string;
  enabled: boolean;
  /** Where the schedule came from, for error messages. */
  origin: string;
}

/**
 * Schedules from config (`jobs.<name>.schedule` / `.enabled`) over the defaults. Config entries for
 * jobs that do not exist are errors, so a typo does not silently leave a job on its default.
 */
export function jobPlans(config: ResolvedConfig): JobPlan[] {
  const file = config.configFile ?? 'config';
  for (const name of Object.keys(config.jobs)) {
    if (!JOBS.some((j) => j.name === name)) {
      throw new UsageError(`${file}: jobs.${name}: unknown job (jobs: ${JOBS.map((j) => j.name).join(', ')})`);
    }
  }
  return JOBS.map((job) => {
    const own = config.jobs[job.name];
    return {
      job,
      schedule: own?.schedule ?? job.defaultSchedule,
      enabled: own?.enabled ?? true,
      origin: own?.schedule ? `${file}: jobs.${job.name}.schedule` : `default schedule of ${job.name}`,
    };
  });
}
