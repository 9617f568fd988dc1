// Usage-derived cost against the bill, per day × provider (× model where the bill names models).
// Both sides are summed from stored rows in SQL (exact DECIMAL), compared in TypeScript with decimal.js.
import type { Db } from '../../db/database.js';
import { Decimal, moneyString } from '../../domain/money.js';
import { addCalendar, localDate, parseDateOrInstant, sqlTimestamp } from '../../domain/time.js';
import { loadNameIndex } from '../../db/pricing-sql.js';
import { matchModelName } from '../../domain/model-names.js';
import {
  likelyCause,
  withinTolerance,
  type MismatchCause,
  type ReconcileSide,
  type Tolerance,
} from '../../domain/mismatch-cause.js';
import { totalTokensSql } from '../../db/usage-columns.js';

export interface ReconcileInput {
  /** First and last local calendar day, inclusive (YYYY-MM-DD in `tz`). */
  since: string;
  until: string;
  tz: string;
  tolerance: Tolerance;
}

export interface ReconcileLine {
  day: string;
  provider: string;
  /** null: compared at provider level (the bill has no model for that day and provider). */
  model: string | null;
  usage_rows: number;
  usage_cost: string;
  usage_tokens: string;
  unpriced_rows: number;
  billing_lines: number;
  billed_cost: string;
  billed_tokens: string | null;
  difference: string;
  within_tolerance: boolean;
  cause: MismatchCause | null;
  explanation: string | null;
}

export interface OtherCharge {
  day: string;
  provider: string;
  charge_category: string;
  lines: number;
  billed_cost: string;
}

export interface ReconcileResult {
  since: string;
  until: string;
  tz: string;
  tolerance_pct: string;
  tolerance_abs: string;
  lines: ReconcileLine[];
  mismatches: ReconcileLine[];
  /** Credits, taxes, adjustments: on the bill but not derived from usage, so listed and not compared. */
  other_charges: OtherCharge[];
  totals: { usage_cost: string; billed_cost: string; difference: string };
  /** The operator's chargeback markups taken out of usage_cost: the provider bills without them. */
  markup_excluded: string;
}

/** UTC bounds of the local days since..until (inclusive). */
export function dayBounds(since: string, until: string, tz: string): { from: Date; to: Date } {
  const from = parseDateOrInstant(since, tz);
  const last = parseDateOrInstant(until, tz);
  if (!from || !last) throw new Error(`not a date: ${!from ? since : until}`);
  return { from, to: addCalendar('day', last, 1, tz) };
}

interface SideRow {
  day: string;
  provider: string;
  model: string | null;
  n: string;
  cost: string | null;
  tokens: string | null;
  unpriced: string;
  /** Usage only: the chargeback markup that priced the group's rows, as its percent (from price_rules). */
  markup_pct?: string | null;
  partly: string;
  served: string;
  /** Billing only: every line of the group names a model. */
  has_model?: boolean;
}

/** A row served other than standard: a priced tier, fast mode, or a stated region (not global). */
const SERVED_SQL = `(lower(trim(coalesce(u.service_tier, ''))) IN ('flex', 'priority', 'batch')
  OR lower(trim(coalesce(u.speed, ''))) = 'fast' OR lower(trim(coalesce(u.region, 'global'))) NOT IN ('global', ''))`;

const TOKEN_UNIT = "(lower(coalesce(unit, '')) LIKE '%token%')";

async function usageSide(db: Db, from: Date, to: Date, tz: string): Promise<SideRow[]> {
  return db.all<SideRow>(
    `SELECT strftime(timezone(?, u.ts::TIMESTAMPTZ), '%Y-%m-%d') AS day,
       lower(trim(coalesce(u.provider, m.provider, 'unknown'))) AS provider,
       coalesce(u.priced_model, u.model) AS model,
       count(*)::VARCHAR AS n,
       coalesce(sum(u.total_cost) FILTER (WHERE NOT u.unpriced), 0)::DECIMAL(38,18)::VARCHAR AS cost,
       sum(${totalTokensSql('u')})::VARCHAR AS tokens,
       count(*) FILTER (WHERE u.unpriced)::VARCHAR AS unpriced,
       nullif(regexp_extract(u.price_rules, 'markup ([0-9.]+) % [(]#', 1), '') AS markup_pct,
       count(*) FILTER (WHERE u.unpriced_parts IS NOT NULL)::VARCHAR AS partly,
       count(*) FILTER (WHERE ${SERVED_SQL})::VARCHAR AS served
     FROM usage u LEFT JOIN models m ON m.name = u.priced_model
     WHERE u.ts >= ?::TIMESTAMP AND u.ts < ?::TIMESTAMP
     GROUP BY ALL`,
    [tz, sqlTimestamp(from), sqlTimestamp(to)],
  );
}

const USAGE_CHARGE = "(charge_category IS NULL OR lower(charge_category) = 'usage')";

async function billingSide(db: Db, from: Date, to: Date, tz: string): Promise<SideRow[]> {
  return db.all<SideRow>(
    `SELECT strftime(timezone(?, charge_period_start::TIMESTAMPTZ), '%Y-%m-%d') AS day,
       lower(trim(coalesce(provider, 'unknown'))) AS provider,
       model,
       count(*)::VARCHAR AS n,
       sum(billed_cost)::VARCHAR AS cost,
       CASE WHEN bool_and(${TOKEN_UNIT} AND quantity IS NOT NULL) THEN sum(quantity)::DECIMAL(38,0)::VARCHAR END AS tokens,
       '0' AS unpriced, '0' AS partly, '0' AS served
     FROM billing_lines
     WHERE charge_period_start >= ?::TIMESTAMP AND charge_period_start < ?::TIMESTAMP AND ${USAGE_CHARGE}
     GROUP BY ALL`,
    [tz, sqlTimestamp(from), sqlTimestamp(to)],
  );
}

async function otherCharges(db: Db, from: Date, to: Date, tz: string): Promise<OtherCharge[]> {
  const rows = await db.all(
    `SELECT strftime(timezone(?, charge_period_start::TIMESTAMPTZ), '%Y-%m-%d') AS day,
       lower(trim(coalesce(provider, 'unknown'))) AS provider, charge_category,
       count(*)::VARCHAR AS lines, sum(billed_cost)::VARCHAR AS billed_cost
     FROM billing_lines
     WHERE charge_period_start >= ?::TIMESTAMP AND charge_period_start < ?::TIMESTAMP AND NOT ${USAGE_CHARGE}
     GROUP BY ALL ORDER BY 1, 2, 3`,
    [tz, sqlTimestamp(from), sqlTimestamp(to)],
  );
  return rows.map((r) => ({ ...r, lines: Number(r.lines), billed_cost: moneyString(r.billed_cost) }) as OtherCharge);
}

function emptySide(): ReconcileSide {
  return { count: 0, cost: new Decimal(0), tokens: 0n, unpriced: 0, partlyUnpriced: 0, served: 0 };
}

function add(side: ReconcileSide, row: SideRow): void {
  side.count += Number(row.n);
  side.cost = side.cost.plus(row.cost ?? 0);
  side.tokens = side.tokens === null || row.tokens === null ? null : side.tokens + BigInt(row.tokens);
  side.unpriced += Number(row.unpriced);
  side.partlyUnpriced = (side.partlyUnpriced ?? 0) + Number(row.partly);
  side.served = (side.served ?? 0) + Number(row.served);
}

/**
 * A discount the provider grants is on the bill, so discounted usage compares as it is. A markup is the
 * operator's own (internal chargeback): the provider never bills it, so it is taken out before comparing,
 * by the percent each row's price_rules names (a division in TypeScript, exact to 60 digits).
 */
function withoutMarkup(rows: SideRow[]): Decimal {
  let excluded = new Decimal(0);
  for (const r of rows) {
    if (!r.markup_pct || r.cost === null) continue;
    const cost = new Decimal(r.cost);
    const listed = cost.div(new Decimal(1).plus(new Decimal(r.markup_pct).div(100))).toDecimalPlaces(18);
    excluded = excluded.plus(cost.minus(listed));
    r.cost = listed.toFixed();
  }
  return excluded;
}

export async function reconcileBilling(db: Db, input: ReconcileInput): Promise<ReconcileResult> {
  const { from, to } = dayBounds(input.since, input.until, input.tz);
  const usage = await usageSide(db, from, to, input.tz);
  const markupExcluded = withoutMarkup(usage);
  const billing = await billingSide(db, from, to, input.tz);
  // Bills name models their own way (`anthropic/claude-…`, aliases): match them like usage rows are.
  const index = await loadNameIndex(db);
  for (const b of billing) if (b.model) b.model = matchModelName(index, b.model) ?? b.model;

  // A day × provider is compared per model only when every billing line of it names a model.
  const dayProvider = (r: SideRow) => `${r.day}\u0000${r.provider}`;
  const perModel = new Map<string, boolean>();
  for (const b of billing) perModel.set(dayProvider(b), (perModel.get(dayProvider(b)) ?? true) && b.model !== null);

  const groups = new Map<
    string,
    { day: string; provider: string; model: string | null; usage: ReconcileSide; billing: ReconcileSide }
  >();
  const groupOf = (r: SideRow) => {
    const model = perModel.get(dayProvider(r)) ? r.model : null;
    const key = `${dayProvider(r)}\u0000${model ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { day: r.day, provider: r.provider, model, usage: emptySide(), billing: { ...emptySide(), tokens: null } };
      groups.set(key, g);
    }
    return g;
  };
  for (const u of usage) add(groupOf(u).usage, u);
  for (const b of billing) {
    const g = groupOf(b);
    // The first billing row turns the "no quantity yet" null into a running token sum.
    if (g.billing.count === 0 && b.tokens !== null) g.billing.tokens = 0n;
    add(g.billing, b);
  }

  const lines: ReconcileLine[] = [...groups.values()]
    .sort(
      (a, b) =>
        a.day.localeCompare(b.day) ||
        a.provider.localeCompare(b.provider) ||
        (a.model ?? '').localeCompare(b.model ?? ''),
    )
    .map((g) => {
      // Unpriced usage with no bill (self-hosted models) has no known amount on either side: it is listed
      // with its unpriced_rows, not called a difference; `optimize` and `models unpriced` report it.
      const ok = withinTolerance(g.usage.cost, g.billing.cost, input.tolerance);
      const verdict = ok ? null : likelyCause(g.usage, g.billing, g.model !== null);
      return {
        day: g.day,
        provider: g.provider,
        model: g.model,
        usage_rows: g.usage.count,
        usage_cost: moneyString(g.usage.cost),
        usage_tokens: (g.usage.tokens ?? 0n).toString(),
        unpriced_rows: g.usage.unpriced,
        billing_lines: g.billing.count,
        billed_cost: moneyString(g.billing.cost),
        billed_tokens: g.billing.tokens === null ? null : g.billing.tokens.toString(),
        difference: moneyString(g.billing.cost.minus(g.usage.cost)),
        within_tolerance: ok,
        cause: verdict?.cause ?? null,
        explanation: verdict?.explanation ?? null,
      };
    });
  const usageTotal = lines.reduce((s, l) => s.plus(l.usage_cost), new Decimal(0));
  const billedTotal = lines.reduce((s, l) => s.plus(l.billed_cost), new Decimal(0));
  return {
    since: input.since,
    until: input.until,
    tz: input.tz,
    tolerance_pct: input.tolerance.pct.toFixed(),
    tolerance_abs: input.tolerance.abs.toFixed(),
    lines,
    mismatches: lines.filter((l) => !l.within_tolerance),
    other_charges: await otherCharges(db, from, to, input.tz),
    totals: {
      usage_cost: moneyString(usageTotal),
      billed_cost: moneyString(billedTotal),
      difference: moneyString(billedTotal.minus(usageTotal)),
    },
    markup_excluded: moneyString(markupExcluded),
  };
}

/** Yesterday in `tz`, the nightly job's default day. */
export function yesterday(now: Date, tz: string): string {
  return localDate(addCalendar('day', now, -1, tz), tz);
}
