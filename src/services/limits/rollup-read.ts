// Window usage from the rollup: what a pre-call check needs in two small indexed reads instead of a
// scan of the usage rows. Each distinct (scope, model filter, window start) is a span [start, at];
// src/domain/rollup-plan.ts says which buckets cover it. Buckets are used whole only when their
// min/max timestamps prove every row in them lies inside the span; otherwise the span is covered by
// smaller buckets, and what is left (part of one hour) is read from the rows. The answer is the same
// figures `usageInWindows` computes from the rows, which tests check for random data and windows.
import type { Db } from '../../db/database.js';
import { coverSpan, planSpan, rollupKey, rollupScopeKey, type Piece } from '../../domain/rollup-plan.js';
import { rollupState, type RollupState } from './rollup.js';
import { usageInWindows, type UsageWindow, type WindowUsage, zeroUsage as zero } from './status.js';
import type { Metric } from './quotas.js';

interface Span {
  scopeType: string;
  scopeValue: string;
  model: string;
  start: Date;
  sum: WindowUsage;
}

export interface Bucket {
  cost: string;
  tokens: string;
  requests: string;
  rows_: string;
  unpriced_rows: string;
  /** Microseconds since 1970 of the oldest and newest row. */
  min_us: string;
  max_us: string;
}

function add(sum: WindowUsage, b: Bucket): void {
  sum.cost = sum.cost.plus(b.cost);
  sum.tokens = sum.tokens.plus(b.tokens);
  sum.requests = sum.requests.plus(b.requests);
  sum.rows += Number(b.rows_);
  sum.unpricedRows += Number(b.unpriced_rows);
}

const us = (ms: number) => BigInt(ms) * 1000n;

/** The columns of a bucket as Bucket holds them; `k` is the key. */
const ALL_METRICS: ReadonlySet<Metric> = new Set(['cost', 'tokens', 'requests']);

/**
 * The columns of a bucket as Bucket holds them; `k` is the key. A metric no window needs reads as 0:
 * each row is fetched from the index column by column, so every column left out is time saved.
 */
function bucketSelect(metrics: ReadonlySet<Metric>): string {
  const metric = (m: Metric) => (metrics.has(m) ? `${m}::VARCHAR` : "'0'");
  return `k::VARCHAR AS k, ${metric('cost')} AS cost, ${metric('tokens')} AS tokens, ${metric('requests')} AS requests,
  rows_::VARCHAR AS rows_, unpriced_rows::VARCHAR AS unpriced_rows, epoch_us(min_ts)::VARCHAR AS min_us, epoch_us(max_ts)::VARCHAR AS max_us`;
}

async function readBuckets(db: Db, keys: bigint[], metrics: ReadonlySet<Metric>): Promise<Map<string, Bucket>> {
  const out = new Map<string, Bucket>();
  if (keys.length === 0) return out;
  // Keys are integers computed here, so inlining them is safe: an IN-list of constants is looked up in
  // the index (a parameter list is not). Not prepared: the keys change with every window.
  const rows = await db.all<Bucket & { k: string }>(
    `SELECT ${bucketSelect(metrics)} FROM usage_rollup WHERE k IN (${[...new Set(keys)].join(', ')})`,
  );
  for (const r of rows) out.set(r.k, r);
  return out;
}

async function scopeIdsOf(db: Db, values: string[]): Promise<Map<string, bigint>> {
  if (values.length === 0) return new Map();
  const rows = await db.all<{ scope_id: string; scope_type: string; scope_value: string; model: string }>(
    `SELECT scope_id::VARCHAR AS scope_id, scope_type, scope_value, model FROM rollup_scopes WHERE scope_value IN (${values.map(() => '?').join(', ')})`,
    values,
  );
  return new Map(rows.map((r) => [rollupScopeKey(r.scope_type, r.scope_value, r.model), BigInt(r.scope_id)]));
}

/**
 * Usage per window key for `windows` at `at`, from the rollup kept in zone `tz`. Returns undefined when
 * the rollup is not built for `tz`; windows whose model filter it does not track come back in `rest`.
 * `known` is the rollup state and scope ids the caller already read (check's context query). Only the
 * `metrics` asked for are summed (the others read as 0), as usageForRequest does.
 */
export async function usageFromRollup(
  db: Db,
  windows: UsageWindow[],
  at: Date,
  tz: string,
  known?: RollupState & { scopeIds: Map<string, bigint> },
  metrics: ReadonlySet<Metric> = ALL_METRICS,
): Promise<{ usage: Map<string, WindowUsage>; rest: UsageWindow[] } | undefined> {
  const state = known ?? (await rollupState(db));
  if (!state || state.tz !== tz) return undefined;
  const tracked = new Set(state.models);
  const rest: UsageWindow[] = [];
  const spans = new Map<string, Span>();
  const spanOf = new Map<string, Span>();
  for (const w of windows) {
    const model = w.model ?? '';
    if (model !== '' && !tracked.has(model)) {
      rest.push(w);
      continue;
    }
    const scopeValue = w.scope.value ?? '';
    const id = `${rollupScopeKey(w.scope.type, scopeValue, model)}\u0000${w.start.getTime()}`;
    if (!spans.has(id)) spans.set(id, { scopeType: w.scope.type, scopeValue, model, start: w.start, sum: zero() });
    spanOf.set(w.key, spans.get(id)!);
  }
  const scopeIds =
    known?.scopeIds ?? (await scopeIdsOf(db, [...new Set([...spans.values()].map((s) => s.scopeValue))]));

  const atMs = at.getTime();
  const raw: UsageWindow[] = [];
  const rawSpans = new Map<string, Span>();
  const addRaw = (span: Span, from: number, to: number, exclusive: boolean) => {
    const key = `raw${raw.length}`;
    raw.push({
      key,
      scope: { type: span.scopeType as UsageWindow['scope']['type'], value: span.scopeValue || null },
      model: span.model || null,
      start: new Date(from),
      until: new Date(to),
      untilExclusive: exclusive,
    });
    rawSpans.set(key, span);
  };

  // Round 1: the planned pieces; round 2: finer cover of the tails that held rows after `at`.
  let work: Array<{ span: Span; id: bigint; pieces: Piece[] }> = [];
  for (const span of spans.values()) {
    const id = scopeIds.get(rollupScopeKey(span.scopeType, span.scopeValue, span.model));
    if (id !== undefined) work.push({ span, id, pieces: planSpan(span.start, at, tz) });
  }
  for (let round = 1; work.length > 0; round++) {
    const buckets = await readBuckets(
      db,
      work.flatMap((w) => w.pieces.map((p) => rollupKey(w.id, p.grain, p.quarter))),
      metrics,
    );
    const next: typeof work = [];
    for (const { span, id, pieces } of work) {
      for (const p of pieces) {
        const b = buckets.get(rollupKey(id, p.grain, p.quarter).toString());
        if (!b) continue;
        const min = BigInt(b.min_us);
        const max = BigInt(b.max_us);
        if (p.kind === 'whole') add(span.sum, b);
        else if (p.kind === 'tail') {
          if (max <= us(atMs)) add(span.sum, b);
          else if (round === 1)
            next.push({ span, id, pieces: coverSpan(new Date(Number(p.quarter) * 900_000), at, tz) });
          else addRaw(span, p.quarter * 900_000, atMs, false);
        } else {
          const to = us(p.to);
          const inside = min >= us(p.from) && (p.toInclusive ? max <= to : max < to);
          const outside = max < us(p.from) || (p.toInclusive ? min > to : min >= to);
          if (inside) add(span.sum, b);
          else if (!outside) addRaw(span, p.from, p.to, !p.toInclusive);
        }
      }
    }
    work = next;
  }

  if (raw.length) {
    const rows = await usageInWindows(db, raw, at);
    for (const [key, u] of rows) {
      const s = rawSpans.get(key)!.sum;
      s.cost = s.cost.plus(u.cost);
      s.tokens = s.tokens.plus(u.tokens);
      s.requests = s.requests.plus(u.requests);
      s.rows += u.rows;
      s.unpricedRows += u.unpricedRows;
    }
  }
  const usage = new Map<string, WindowUsage>();
  for (const [key, span] of spanOf) if (span.sum.rows > 0) usage.set(key, span.sum);
  return { usage, rest };
}
