// Mismatches become `reconciliation_mismatch` alerts (one per day × provider × model, never twice) and
// a report email body. Kept apart from the comparison so the comparison stays read-only.
import type { Db } from '../../db/database.js';
import { Decimal, formatMoney } from '../../domain/money.js';
import { parseDateOrInstant } from '../../domain/time.js';
import type { ReportDoc } from '../../notify/templates.js';
import { raiseAlert } from '../alerts/state.js';
import type { ReconcileLine, ReconcileResult } from './billing-compare.js';

export function mismatchSubject(l: ReconcileLine): string {
  return `reconcile:${l.provider}${l.model ? `:${l.model}` : ''}`;
}

export async function raiseMismatchAlerts(
  db: Db,
  result: ReconcileResult,
  input: { tz: string; now: Date; recipients?: string[]; currency?: string },
): Promise<{ raised: number[]; existing: number[] }> {
  const out = { raised: [] as number[], existing: [] as number[] };
  for (const l of result.mismatches) {
    const windowStart = parseDateOrInstant(l.day, input.tz)!;
    const diff = new Decimal(l.difference);
    const what = `${l.provider}${l.model ? ` ${l.model}` : ''} on ${l.day}`;
    const { id, created } = await raiseAlert(
      db,
      {
        type: 'reconciliation_mismatch',
        subject: mismatchSubject(l),
        windowStart,
        severity: 'warning',
        title: `${what}: billed ${formatMoney(l.billed_cost, input.currency)} vs computed ${formatMoney(l.usage_cost, input.currency)} (${l.cause})`,
        message: `Billed minus computed is ${formatMoney(diff, input.currency)}. Likely cause: ${l.cause} — ${l.explanation}.`,
        observed: l.billed_cost,
        threshold: l.usage_cost,
        details: l,
        recipients: input.recipients ?? [],
      },
      input.now,
    );
    (created ? out.raised : out.existing).push(id);
  }
  return out;
}

export function reconcileReport(result: ReconcileResult, currency = 'USD'): ReportDoc {
  const m = (v: string) => formatMoney(v, currency);
  const period = result.since === result.until ? result.since : `${result.since} … ${result.until}`;
  return {
    title: `${result.mismatches.length ? 'WARNING: ' : ''}reconciliation ${period}: ${result.mismatches.length} difference(s) beyond tolerance`,
    summary: [
      `Computed from usage: ${m(result.totals.usage_cost)}. Billed: ${m(result.totals.billed_cost)}. Difference: ${m(result.totals.difference)}.`,
      `Tolerance: ${result.tolerance_pct}% or ${m(result.tolerance_abs)} (time zone ${result.tz}).`,
    ],
    sections: [
      {
        heading: 'Differences beyond tolerance',
        table: {
          columns: ['day', 'provider', 'model', 'computed', 'billed', 'difference', 'likely cause'],
          numeric: [false, false, false, true, true, true, false],
          rows: result.mismatches.map((l) => [
            l.day,
            l.provider,
            l.model ?? '(all)',
            m(l.usage_cost),
            m(l.billed_cost),
            m(l.difference),
            `${l.cause}: ${l.explanation}`,
          ]),
        },
      },
      ...(result.other_charges.length
        ? [
            {
              heading: 'Other charges on the bill (not derived from usage)',
              table: {
                columns: ['day', 'provider', 'category', 'lines', 'billed'],
                numeric: [false, false, false, true, true],
                rows: result.other_charges.map((o) => [
                  o.day,
                  o.provider,
                  o.charge_category,
                  String(o.lines),
                  m(o.billed_cost),
                ]),
              },
            },
          ]
        : []),
    ],
  };
}
