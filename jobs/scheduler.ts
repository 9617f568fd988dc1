// `costctl jobs schedule`: the long-running scheduler. Everything that can be wrong with the setup
// (cron expressions, job names in config, SMTP URL, outbox folder) is checked before the first tick.
// A job never runs twice at once; each run opens and closes the database; one log line per run;
// SIGINT/SIGTERM stop the timers and wait for a running job to finish.
import type { Context } from '../src/context.js';
import { UsageError } from '../src/errors.js';
import { jobPlans, type JobPlan } from './registry.js';
import { checkDelivery, logLine, runJob } from './runner.js';

type NodeCron = typeof import('node-cron');

async function loadCron(): Promise<NodeCron> {
  return import('node-cron');
}

/** Plans with every schedule validated; the first invalid one is a config error naming where it came from. */
export async function validatedPlans(ctx: Context): Promise<JobPlan[]> {
  const cron = await loadCron();
  const plans = jobPlans(ctx.config);
  for (const p of plans) {
    const check = cron.validateDetailed(p.schedule);
    if (!check.valid) {
      const why = check.errors.map((e) => e.message).join('; ') || 'not a cron expression';
      throw new UsageError(`${p.origin}: "${p.schedule}" is not a valid cron expression (${why}); e.g. "*/5 * * * *"`);
    }
  }
  return plans;
}

/** The first minute at or after `from` that the schedule matches in `tz` (searches up to ~13 months). */
export async function nextRunAt(schedule: string, from: Date, tz: string): Promise<Date | null> {
  const cron = await loadCron();
  const task = cron.createTask(schedule, () => undefined, { timezone: tz });
  try {
    const start = Math.ceil(from.getTime() / 60_000) * 60_000;
    for (let t = start, end = start + 400 * 86_400_000; t < end; t += 60_000) {
      if (task.match(new Date(t))) return new Date(t);
    }
    return null;
  } finally {
    await task.destroy();
  }
}

export interface Scheduler {
  plans: JobPlan[];
  /** Runs a job now through the same guard the timers use: `skipped` while a run of it is going. */
  runNow(name: string): Promise<'ran' | 'skipped'>;
  /** Resolves once stopped and every running job has finished. */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

export async function startScheduler(ctx: Context, log: (line: string) => void = ctx.err): Promise<Scheduler> {
  const plans = await validatedPlans(ctx);
  checkDelivery(ctx);
  const cron = await loadCron();
  const running = new Map<string, Promise<void>>();
  const tasks: import('node-cron').ScheduledTask[] = [];
  const fire = async (plan: JobPlan): Promise<'ran' | 'skipped'> => {
    // node-cron's noOverlap covers one task's own ticks; this map covers every other way in.
    if (running.has(plan.job.name)) {
      log(`${ctx.now().toISOString()} ${plan.job.name} skipped: previous run still going`);
      return 'skipped';
    }
    const run = runJob(ctx, plan.job, {}, 'schedule')
      .then((r) => log(logLine(r)))
      .catch((e) => log(`${ctx.now().toISOString()} ${plan.job.name} failed: ${(e as Error).message.split('\n')[0]}`))
      .finally(() => running.delete(plan.job.name));
    running.set(plan.job.name, run);
    await run;
    return 'ran';
  };
  for (const plan of plans.filter((p) => p.enabled)) {
    tasks.push(
      cron.schedule(plan.schedule, () => fire(plan), { timezone: ctx.config.tz, noOverlap: true, name: plan.job.name }),
    );
  }
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopping = false;
  const stop = async () => {
    if (stopping) return stopped;
    stopping = true;
    for (const t of tasks) await t.stop();
    await Promise.allSettled([...running.values()]);
    for (const t of tasks) await t.destroy();
    resolveStopped();
    return stopped;
  };
  const runNow = async (name: string) => {
    const plan = plans.find((p) => p.job.name === name);
    if (!plan) throw new UsageError(`unknown job "${name}"`);
    return fire(plan);
  };
  return { plans, stopped, stop, runNow };
}
