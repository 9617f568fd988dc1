// prompt_caching, peak_usage, anomaly_control and unpriced_models: each figure summed from usage rows
// at the rates of the price version that priced them, or from stored alerts.
import type { Db } from '../../db/database.js';
import { Decimal, formatMoney } from '../../domain/money.js';
import { sqlTimestamp } from '../../domain/time.js';
import type { OptimizeWindow, SuggestionDraft } from '../../domain/suggestions.js';

/** A session's smallest uncached input is taken as the prefix its requests share (a lower bound). */
const MIN_PREFIX_TOKENS = 1024;

/**
 * Repeated large input with little cache reading. Per session (≥ 2 requests) the shared prefix is
 * estimated as its smallest uncached input; caching it would cost one cache write (at the cache-write
 * rate instead of the input rate) and turn every later request's prefix into cache reads.
 */
export async function promptCaching(db: Db, w: OptimizeWindow): Promise<SuggestionDraft[]> {
  const rows = await db.all(
    `WITH r AS (
       SELECT u.priced_model AS model, u.session_id, u.input_tokens, u.cache_read_tokens, u.total_cost,
         p.rate_input, p.rate_cache_read AS rcr, coalesce(p.rate_cache_write, p.rate_input) AS rcw,
         row_number() OVER (PARTITION BY u.priced_model, u.session_id ORDER BY u.ts, u.request_id) AS k,
         min(u.input_tokens) OVER (PARTITION BY u.priced_model, u.session_id) AS prefix,
         count(*) OVER (PARTITION BY u.priced_model, u.session_id) AS n
       FROM usage u JOIN model_prices p ON p.id = u.price_version
       WHERE u.ts >= ?::TIMESTAMP AND u.ts < ?::TIMESTAMP AND NOT u.unpriced AND u.session_id IS NOT NULL
         AND p.billing_unit = 'token' AND p.rate_input IS NOT NULL AND p.rate_cache_read IS NOT NULL AND p.rate_cache_read < p.rate_input
     )
     SELECT model, count(DISTINCT session_id)::VARCHAR AS sessions, count(*)::VARCHAR AS requests,
       sum(input_tokens)::VARCHAR AS input_tokens, sum(cache_read_tokens)::VARCHAR AS cache_read_tokens,
       sum(total_cost)::VARCHAR AS current,
       sum(CASE WHEN k > 1 THEN (prefix * (rate_input - rcr))::DECIMAL(38,18)
                ELSE (-(prefix * (rcw - rate_input)))::DECIMAL(38,18) END)::VARCHAR AS savings
     FROM r WHERE n >= 2 AND prefix >= ${MIN_PREFIX_TOKENS}
     GROUP BY model HAVING sum(cache_read_tokens) * 10 < sum(input_tokens) ORDER BY model`,
    [sqlTimestamp(w.from), sqlTimestamp(w.to)],
  );
  return rows
    .filter((r) => new Decimal(r.savings).gt(0))
    .map((r) => ({
      fingerprint: `prompt_caching:${r.model}`,
      type: 'prompt_caching' as const,
      title: `Cache the repeated prompt prefix on ${r.model}`,
      description:
        `${r.requests} requests in ${r.sessions} sessions re-send at least ${MIN_PREFIX_TOKENS} input tokens each while ` +
        `reading only ${r.cache_read_tokens} of ${r.input_tokens} input tokens from cache. Caching the shared prefix ` +
        `(estimated as each session's smallest input) would save ${formatMoney(r.savings)} at this model's cache rates.`,
      currentCost: new Decimal(r.current),
      potentialSavings: new Decimal(r.savings),
      recommendations: [
        'Put the stable part of the prompt (system prompt, SOP instructions, tools) first and mark it cacheable.',
        'Keep variable content (the customer message) at the end so the prefix stays identical.',
      ],
      effort: 'low' as const,
      evidence: {
        model: r.model,
        sessions: r.sessions,
        requests: r.requests,
        input_tokens: r.input_tokens,
        cache_read_tokens: r.cache_read_tokens,
      },
    }));
}

/** Spend concentrated in a few local hours of the day: a capacity and rate-limit risk, not a price. */
export async function peakUsage(db: Db, w: OptimizeWindow): Promise<SuggestionDraft[]> {
  const rows = await db.all<{ h: number; cost: string }>(
    `SELECT hour(timezone(?, ts::TIMESTAMPTZ))::INTEGER AS h, sum(total_cost)::VARCHAR AS cost
     FROM usage WHERE ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP AND NOT unpriced GROUP BY 1 ORDER BY 1`,
    [w.tz, sqlTimestamp(w.from), sqlTimestamp(w.to)],
  );
  const total = rows.reduce((s, r) => s.plus(r.cost), new Decimal(0));
  // Fewer than 6 active hours is a working pattern, not a peak worth flagging.
  if (total.lte(0) || rows.length < 6) return [];
  const top = [...rows].sort((a, b) => new Decimal(b.cost).cmp(a.cost) || a.h - b.h).slice(0, 3);
  const peak = top.reduce((s, r) => s.plus(r.cost), new Decimal(0));
  if (peak.times(2).lt(total)) return [];
  const hours = top.map((r) => `${String(r.h).padStart(2, '0')}:00`).sort();
  return [
    {
      fingerprint: 'peak_usage:hours',
      type: 'peak_usage',
      title: `${peak.div(total).times(100).toDecimalPlaces(0).toFixed()}% of spend falls in three hours (${hours.join(', ')} ${w.tz})`,
      description:
        `${formatMoney(peak)} of ${formatMoney(total)} was spent in ${hours.join(', ')}. Per-token prices do not change with the hour, ` +
        'so no saving is claimed; the risk is rate limits and budget bursts.',
      currentCost: peak,
      potentialSavings: new Decimal(0),
      recommendations: [
        'Spread scheduled SOP runs and batch work outside the peak hours.',
        'Set an hourly quota limit on the heaviest departments to cap bursts.',
      ],
      effort: 'medium',
      evidence: { by_hour: rows.map((r) => ({ hour: r.h, cost: r.cost })) },
    },
  ];
}

/** Spend above the expected level on anomalous days/hours, as recorded by the anomaly alerts. */
export async function anomalyControl(db: Db, w: OptimizeWindow): Promise<SuggestionDraft[]> {
  const rows = await db.all(
    `SELECT id::VARCHAR AS id, subject, observed::VARCHAR AS observed, threshold::VARCHAR AS threshold
     FROM alerts WHERE type = 'anomaly' AND window_start >= ?::TIMESTAMP AND window_start < ?::TIMESTAMP
       AND observed IS NOT NULL AND threshold IS NOT NULL AND observed > threshold
       -- an anomalous hour usually lies inside an anomalous day: count days when there are any, else hours
       AND (subject LIKE 'anomaly:day:%' OR NOT EXISTS (
         SELECT 1 FROM alerts d WHERE d.type = 'anomaly' AND d.subject LIKE 'anomaly:day:%'
           AND d.window_start >= ?::TIMESTAMP AND d.window_start < ?::TIMESTAMP AND d.observed > d.threshold))
     ORDER BY id`,
    [sqlTimestamp(w.from), sqlTimestamp(w.to), sqlTimestamp(w.from), sqlTimestamp(w.to)],
  );
  if (rows.length === 0) return [];
  const observed = rows.reduce<Decimal>((s, r) => s.plus(r.observed), new Decimal(0));
  const excess = rows.reduce<Decimal>((s, r) => s.plus(new Decimal(r.observed).minus(r.threshold)), new Decimal(0));
  return [
    {
      fingerprint: 'anomaly_control:window',
      type: 'anomaly_control',
      title: `${rows.length} cost anomal${rows.length === 1 ? 'y' : 'ies'} spent ${formatMoney(excess)} above the expected level`,
      description: `Anomalous periods cost ${formatMoney(observed)}, of which ${formatMoney(excess)} is above what the anomaly model expected for them (stored with each anomaly alert).`,
      currentCost: observed,
      potentialSavings: excess,
      recommendations: [
        'Add hourly or daily quota limits to the subjects that spiked.',
        'Review the requests behind each anomaly alert.',
      ],
      effort: 'low',
      evidence: {
        alerts: rows.map((r) => ({
          id: Number(r.id),
          subject: r.subject,
          observed: r.observed,
          expected_max: r.threshold,
        })),
      },
    },
  ];
}

/** Usage the catalog cannot price: its cost is unknown, so every report under-counts it. */
export async function unpricedModels(db: Db, w: OptimizeWindow): Promise<SuggestionDraft[]> {
  const rows = await db.all(
    `SELECT model, count(*)::VARCHAR AS requests, sum(input_tokens + output_tokens)::VARCHAR AS tokens,
       coalesce(sum(reported_cost), 0)::VARCHAR AS reported
     FROM usage WHERE ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP AND unpriced GROUP BY 1 ORDER BY 1`,
    [sqlTimestamp(w.from), sqlTimestamp(w.to)],
  );
  return rows.map((r) => ({
    fingerprint: `unpriced_models:${r.model}`,
    type: 'unpriced_models' as const,
    title: `Add a price for ${r.model}`,
    description:
      `${r.requests} requests (${r.tokens} tokens) on ${r.model} have no price in the catalog, so quotas, budgets and reports ` +
      `leave them out${new Decimal(r.reported).gt(0) ? ` (the source reported ${formatMoney(r.reported)})` : ''}.`,
    currentCost: new Decimal(r.reported),
    potentialSavings: new Decimal(0),
    recommendations: [
      `costctl models add ${r.model} --provider … --input-price … --output-price …`,
      'then re-price the stored usage',
    ],
    effort: 'low' as const,
    evidence: { model: r.model, requests: r.requests, tokens: r.tokens, reported_cost: r.reported },
  }));
}
