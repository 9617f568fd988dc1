// What `costctl reconcile` prints for people: the period's totals, one row per day × provider (× model),
// charges not compared, consistency findings, and one closing verdict.
import { formatMoney } from '../domain/money.js';
import type { ReconcileRun } from '../services/reconcile/run.js';
import { money, renderTable } from './table.js';

export function renderReconcile(out: ReconcileRun, currency: string): string {
  const lines: string[] = [];
  const beyond = out.mismatches.length + out.consistency.issues.length;
  const m = (v: string) => formatMoney(v, currency);
  lines.push(
    `${out.since === out.until ? out.since : `${out.since} … ${out.until}`} (${out.tz}): computed ${m(out.totals.usage_cost)}, billed ${m(out.totals.billed_cost)}, difference ${m(out.totals.difference)}; tolerance ${out.tolerance_pct}% or ${m(out.tolerance_abs)}`,
  );
  if (out.markup_excluded && !/^0(\.0*)?$/.test(out.markup_excluded))
    lines.push(
      `computed excludes the operator's markups (${m(out.markup_excluded)}): the provider bills without them (costctl models discount list)`,
    );
  if (out.lines.length) {
    lines.push(
      renderTable(
        [
          { header: 'day' },
          { header: 'provider' },
          { header: 'model' },
          { header: 'computed', align: 'right' },
          { header: 'billed', align: 'right' },
          { header: 'difference', align: 'right' },
          { header: 'result' },
        ],
        out.lines.map((l) => [
          l.day,
          l.provider,
          l.model ?? '(all)',
          money(l.usage_cost, currency),
          money(l.billed_cost, currency),
          money(l.difference, currency),
          l.within_tolerance ? 'ok' : `${l.cause}: ${l.explanation}`,
        ]),
      ),
    );
  } else lines.push('No usage and no billing lines in this period.');
  for (const o of out.other_charges)
    lines.push(`not compared: ${o.day} ${o.provider} ${o.charge_category} ${m(o.billed_cost)} (${o.lines} line(s))`);
  for (const c of out.consistency.repaired)
    lines.push(`repaired ${c.subject} (${c.check}): ${c.before ?? 'null'} → ${c.after ?? 'null'}`);
  for (const i of out.consistency.issues)
    lines.push(
      `inconsistent ${i.subject} (${i.check}): stored ${i.stored ?? 'null'}, rows say ${i.expected ?? 'null'}${i.repairable ? ' (fix with --repair)' : ''}`,
    );
  lines.push(
    beyond
      ? `${out.mismatches.length} difference(s) beyond tolerance, ${out.consistency.issues.length} consistency issue(s)${out.alerts_raised.length ? `; ${out.alerts_raised.length} alert(s) raised` : ''}`
      : 'Everything reconciles within tolerance.',
  );
  return lines.join('\n');
}
