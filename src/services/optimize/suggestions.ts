// Optimization suggestions: every rule runs over the window, results are ranked by savings and stored
// (upsert by fingerprint, keeping the operator's accept/dismiss decision).
import { DataError } from '../../errors.js';
import type { Db, Row } from '../../db/database.js';
import { Decimal, formatMoney, moneyString } from '../../domain/money.js';
import { localStamp, sqlTimestamp } from '../../domain/time.js';
import type { ReportDoc } from '../../notify/templates.js';
import { anomalyControl, peakUsage, promptCaching, unpricedModels } from './rules.js';
import { quotaAdjustments } from './quota-adjustment.js';
import { batchCandidates, modelSubstitutions } from './substitution.js';
import {
  combinedSavings,
  priorityOf,
  savingsPercentage,
  type Effort,
  type OptimizeWindow,
  type Priority,
  type SuggestionDraft,
  type SuggestionStatus,
  type SuggestionType,
} from '../../domain/suggestions.js';

export interface Suggestion {
  id: number;
  type: SuggestionType;
  title: string;
  description: string;
  current_cost: string;
  potential_savings: string;
  savings_percentage: string;
  recommendations: string[];
  effort: Effort;
  priority: Priority;
  evidence: Record<string, unknown>;
  status: SuggestionStatus;
  window_start: string;
  window_end: string;
}

const RULES = [
  modelSubstitutions,
  promptCaching,
  batchCandidates,
  peakUsage,
  quotaAdjustments,
  anomalyControl,
  unpricedModels,
];

const SELECT = `id, type, title, description, current_cost::VARCHAR AS current_cost, potential_savings::VARCHAR AS potential_savings,
  savings_percentage::VARCHAR AS savings_percentage, recommendations::VARCHAR AS recommendations, effort, priority,
  evidence::VARCHAR AS evidence, status, strftime(window_start, '%Y-%m-%dT%H:%M:%SZ') AS window_start,
  strftime(window_end, '%Y-%m-%dT%H:%M:%SZ') AS window_end`;

function toSuggestion(r: Row): Suggestion {
  return {
    ...r,
    id: Number(r.id),
    current_cost: moneyString(r.current_cost),
    potential_savings: moneyString(r.potential_savings),
    savings_percentage: new Decimal(r.savings_percentage).toFixed(2),
    recommendations: JSON.parse(r.recommendations),
    evidence: JSON.parse(r.evidence),
  } as Suggestion;
}

/** Largest saving first; ties by share, then by title so the order is stable. */
export function rankSuggestions(list: Suggestion[]): Suggestion[] {
  return [...list].sort(
    (a, b) =>
      new Decimal(b.potential_savings).cmp(a.potential_savings) ||
      new Decimal(b.savings_percentage).cmp(a.savings_percentage) ||
      a.title.localeCompare(b.title),
  );
}

async function store(db: Db, d: SuggestionDraft, w: OptimizeWindow): Promise<number> {
  const pct = savingsPercentage(d.currentCost, d.potentialSavings);
  const values = [
    d.type,
    d.title,
    d.description,
    d.currentCost.toFixed(),
    d.potentialSavings.toFixed(),
    pct.toFixed(2),
    JSON.stringify(d.recommendations),
    d.effort,
    priorityOf(d.currentCost, d.potentialSavings),
    JSON.stringify(d.evidence),
    sqlTimestamp(w.from),
    sqlTimestamp(w.to),
  ];
  const existing = await db.one<{ id: string }>('SELECT id::VARCHAR AS id FROM suggestions WHERE fingerprint = ?', [
    d.fingerprint,
  ]);
  const cols = `type = ?, title = ?, description = ?, current_cost = ?::DECIMAL(38,18), potential_savings = ?::DECIMAL(38,18),
    savings_percentage = ?::DECIMAL(9,2), recommendations = ?::JSON, effort = ?, priority = ?, evidence = ?::JSON,
    window_start = ?::TIMESTAMP, window_end = ?::TIMESTAMP, updated_at = ?::TIMESTAMP`;
  if (existing) {
    await db.run(`UPDATE suggestions SET ${cols} WHERE id = ?`, [...values, sqlTimestamp(w.now), Number(existing.id)]);
    return Number(existing.id);
  }
  const row = await db.one<{ id: string }>(
    `INSERT INTO suggestions (fingerprint, type, title, description, current_cost, potential_savings, savings_percentage,
       recommendations, effort, priority, evidence, window_start, window_end, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?::DECIMAL(38,18), ?::DECIMAL(38,18), ?::DECIMAL(9,2), ?::JSON, ?, ?, ?::JSON, ?::TIMESTAMP, ?::TIMESTAMP,
       ?::TIMESTAMP, ?::TIMESTAMP) RETURNING id::VARCHAR AS id`,
    [d.fingerprint, ...values, sqlTimestamp(w.now), sqlTimestamp(w.now)],
  );
  return Number(row!.id);
}

/** Runs every rule over the window, stores the results and returns them ranked (dismissed ones left out). */
export async function generateSuggestions(db: Db, w: OptimizeWindow): Promise<Suggestion[]> {
  const drafts: SuggestionDraft[] = [];
  for (const rule of RULES) drafts.push(...(await rule(db, w)));
  const ids = await db.transaction(async () => {
    const out: number[] = [];
    for (const d of drafts) out.push(await store(db, d, w));
    return out;
  });
  if (ids.length === 0) return [];
  const rows = await db.all(
    `SELECT ${SELECT} FROM suggestions WHERE id IN (${ids.map(() => '?').join(', ')}) AND status <> 'dismissed'`,
    ids,
  );
  return rankSuggestions(rows.map(toSuggestion));
}

export async function listSuggestions(db: Db, filter: { status?: SuggestionStatus } = {}): Promise<Suggestion[]> {
  const rows = await db.all(
    `SELECT ${SELECT} FROM suggestions ${filter.status ? 'WHERE status = ?' : ''}`,
    filter.status ? [filter.status] : [],
  );
  return rankSuggestions(rows.map(toSuggestion));
}

export async function decideSuggestion(
  db: Db,
  id: number,
  status: 'accepted' | 'dismissed',
  who: string,
  now: Date,
): Promise<Suggestion> {
  const rows = await db.all(
    `UPDATE suggestions SET status = ?, decided_at = ?::TIMESTAMP, decided_by = ? WHERE id = ? RETURNING ${SELECT}`,
    [status, sqlTimestamp(now), who, id],
  );
  if (rows.length === 0) throw new DataError(`suggestion ${id} does not exist (see \`costctl optimize\` for the list)`);
  return toSuggestion(rows[0]!);
}

export function optimizationReport(list: Suggestion[], w: OptimizeWindow, currency = 'USD'): ReportDoc {
  const total = combinedSavings(list);
  const m = (v: string | Decimal) => formatMoney(v, currency);
  return {
    title: `optimization report: ${list.length} suggestion(s), ${m(total)} potential savings`,
    summary: [
      `Window ${localStamp(w.from, w.tz)} … ${localStamp(w.to, w.tz)}.`,
      'Every figure is re-priced from stored usage rows and catalog prices.',
      "Suggestions about the same model's spend save from the same money: the total counts the largest of them.",
    ],
    sections: [
      {
        heading: 'Potential savings by suggestion',
        bars: list
          .filter((s) => new Decimal(s.potential_savings).gt(0))
          .map((s) => ({ label: `#${s.id} ${s.type}`, value: s.potential_savings, display: m(s.potential_savings) })),
      },
      {
        heading: 'Suggestions',
        table: {
          columns: ['id', 'priority', 'suggestion', 'current', 'savings', '%'],
          numeric: [true, false, false, true, true, true],
          rows: list.map((s) => [
            String(s.id),
            s.priority,
            s.title,
            m(s.current_cost),
            m(s.potential_savings),
            s.savings_percentage,
          ]),
        },
      },
      ...list.map((s) => ({
        heading: `#${s.id} ${s.title}`,
        lines: [s.description, ...s.recommendations.map((r) => `• ${r}`)],
      })),
    ],
  };
}
