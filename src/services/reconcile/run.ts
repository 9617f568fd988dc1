// One reconciliation, as `costctl reconcile` and the nightly reconcile job both run it: which days, the
// comparison with the bill, the consistency check, mismatch alerts and (for the job) the report email.
// Before this file the command and the job each composed these steps and had drifted apart.
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { UsageError } from '../../errors.js';
import { Decimal } from '../../domain/money.js';
import { parseDateOrInstant } from '../../domain/time.js';
import { queueMessage } from '../../notify/outbox.js';
import { renderReport } from '../../notify/templates.js';
import { recipientsFor } from '../alerts/emails.js';
import { type ReconcileResult, reconcileBilling, yesterday } from './billing-compare.js';
import { type ConsistencyReport, checkConsistency } from './consistency.js';
import { raiseMismatchAlerts, reconcileReport } from './mismatch-alerts.js';

/** Allowed difference when none is given: 1 % of the larger amount, or one cent. */
export const DEFAULT_TOLERANCE = { pct: new Decimal(1), abs: new Decimal('0.01') };

export interface PeriodFlags {
  date?: string;
  since?: string;
  until?: string;
}

export interface ReconcilePeriod {
  since: string;
  until: string;
}

function day(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !parseDateOrInstant(value, 'UTC')) {
    throw new UsageError(`${flag}: "${value}" must be a calendar day such as 2026-03-01`);
  }
  return value;
}

/**
 * The local days a reconciliation covers: `--date` alone; `--since` through `--until`; `--since` alone
 * through yesterday; nothing: yesterday. A day that does not exist or a range that runs backwards is a
 * usage error naming the flag, raised before any work.
 */
export function reconcilePeriod(flags: PeriodFlags, now: Date, tz: string): ReconcilePeriod {
  const date = day('--date', flags.date);
  const since = day('--since', flags.since);
  const until = day('--until', flags.until);
  if (date && (since || until)) throw new UsageError('give either --date or --since/--until, not both');
  if (date) return { since: date, until: date };
  if (until && !since) throw new UsageError('--until needs --since (or use --date for one day)');
  const fallback = yesterday(now, tz);
  const period = { since: since ?? fallback, until: until ?? fallback };
  if (period.since > period.until) throw new UsageError(`--since ${period.since} is after --until ${period.until}`);
  return period;
}

export interface ReconcileRun extends ReconcileResult {
  consistency: ConsistencyReport;
  alerts_raised: number[];
  /** Whether a report email was queued (only when asked for, with differences and recipients). */
  report_queued: boolean;
  recipients: string[];
}

export interface ReconcileOptions {
  period: ReconcilePeriod;
  tolerance?: { pct: Decimal; abs: Decimal };
  /** Recompute stored figures that differ from their rows. */
  repair?: boolean;
  /** Queue one report email per period when something is off (the nightly job does). */
  emailReport?: boolean;
  config: Pick<ResolvedConfig, 'tz' | 'currency' | 'alertRecipients' | 'jobs'>;
  now: Date;
}

export async function runReconcile(db: Db, options: ReconcileOptions): Promise<ReconcileRun> {
  const { period, config, now } = options;
  const tz = config.tz;
  const result = await reconcileBilling(db, { ...period, tz, tolerance: options.tolerance ?? DEFAULT_TOLERANCE });
  const consistency = await checkConsistency(db, { repair: options.repair });
  const recipients = recipientsFor([], config, 'reconcile');
  const alerts = await raiseMismatchAlerts(db, result, { tz, now, recipients, currency: config.currency });
  let queued = false;
  if (options.emailReport && result.mismatches.length && recipients.length) {
    const doc = reconcileReport(result, config.currency);
    if (consistency.issues.length) {
      doc.sections.push({
        heading: 'Internal consistency',
        lines: [
          `${consistency.issues.length} stored figure(s) differ from their rows; run \`costctl reconcile --repair\`.`,
        ],
      });
    }
    const message = {
      dedupeKey: `report:reconcile:${period.since}:${period.until}`,
      kind: 'report' as const,
      report: 'reconcile',
      recipients,
      content: renderReport(doc),
    };
    queued = (await queueMessage(db, message, now)).created;
  }
  return { ...result, consistency, alerts_raised: alerts.raised, report_queued: queued, recipients };
}
