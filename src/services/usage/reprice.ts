// Re-costs stored usage rows with the catalog as it is now (after a price was added or changed), using
// the same SQL pricing as ingest, and says how many rows and how much money moved.
import { buildModelMap, pricedSelectSql } from '../../db/pricing-sql.js';
import type { Db, SqlParam } from '../../db/database.js';
import { sqlTimestamp } from '../../domain/time.js';
import { loadNameIndex } from '../../db/pricing-sql.js';
import { matchModelName } from '../../domain/model-names.js';
import { refreshRollup } from '../limits/rollup.js';
import { PRICED_COLUMNS } from '../../db/usage-columns.js';
import { listAlerts, resolveAlerts } from '../alerts/state.js';

export interface RepriceOptions {
  since?: Date;
  /** A model as callers write it or as the catalog names it; rows whose name maps to it are included. */
  model?: string;
  dryRun?: boolean;
  /** Who repriced and when: an open unpriced_usage alert whose model has no unpriced row left is resolved. */
  actor?: string;
  now?: Date;
}

export interface RepriceResult {
  rows_considered: number;
  rows_changed: number;
  newly_priced: number;
  newly_unpriced: number;
  /** Sum of total_cost of the considered rows before and after (unpriced rows count 0). */
  total_before: string;
  total_after: string;
  delta: string;
  still_unpriced: { model: string; rows: number }[];
  /** unpriced_usage alerts resolved because their model's rows are all priced now. */
  alerts_resolved: number;
}

export async function repriceUsage(db: Db, options: RepriceOptions): Promise<RepriceResult> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (options.since) {
    where.push('ts >= ?::TIMESTAMP');
    params.push(sqlTimestamp(options.since));
  }
  if (options.model) {
    const index = await loadNameIndex(db);
    const target = matchModelName(index, options.model) ?? options.model;
    const names = (await db.all<{ model: string }>('SELECT DISTINCT model FROM usage')).map((r) => r.model);
    const matching = names.filter((n) => n === options.model || matchModelName(index, n) === target);
    where.push(`(priced_model = ?${matching.length ? ` OR model IN (${matching.map(() => '?').join(', ')})` : ''})`);
    params.push(target, ...matching);
  }
  return db.transaction(async () => {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE reprice_src AS SELECT rowid AS _rid, ts, model, provider, input_tokens, output_tokens,
         cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, requests, duration_seconds, bytes, request_type, speed, region,
         service_tier, reasoning_tokens, audio_input_tokens, image_input_tokens, audio_output_tokens, image_output_tokens, images, web_search_calls,
         ${PRICED_COLUMNS.map((c) => `${c} AS old_${c}`).join(', ')}
       FROM usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    await buildModelMap(db, 'reprice_src');
    await db.run('SET asof_loop_join_threshold = 0'); // see ingest-load.ts
    await db.run(`CREATE OR REPLACE TEMP TABLE reprice_new AS ${pricedSelectSql('reprice_src')}`);
    const changed = `(n.price_version IS DISTINCT FROM n.old_price_version OR n.total_cost IS DISTINCT FROM n.old_total_cost
      OR n.priced_model IS DISTINCT FROM n.old_priced_model OR n.input_cost IS DISTINCT FROM n.old_input_cost
      OR n.output_cost IS DISTINCT FROM n.old_output_cost OR n.cache_read_cost IS DISTINCT FROM n.old_cache_read_cost
      OR n.cache_write_cost IS DISTINCT FROM n.old_cache_write_cost OR n.base_cost IS DISTINCT FROM n.old_base_cost
      OR n.unpriced_parts IS DISTINCT FROM n.old_unpriced_parts)`;
    // A row whose cost stays but whose rules are newly named (rows priced before migration 009) is rewritten
    // without counting as changed: the report says what moved money.
    const rewrite = `(${changed} OR n.price_rules IS DISTINCT FROM n.old_price_rules)`;
    const stats = await db.one<Record<string, string>>(
      `SELECT count(*)::VARCHAR AS considered, count(*) FILTER (WHERE ${changed})::VARCHAR AS changed,
         count(*) FILTER (WHERE old_unpriced AND NOT unpriced)::VARCHAR AS newly_priced,
         count(*) FILTER (WHERE NOT old_unpriced AND unpriced)::VARCHAR AS newly_unpriced,
         coalesce(sum(old_total_cost), 0)::VARCHAR AS before, coalesce(sum(total_cost), 0)::VARCHAR AS after,
         (coalesce(sum(total_cost), 0) - coalesce(sum(old_total_cost), 0))::VARCHAR AS delta
       FROM reprice_new n`,
    );
    const stillUnpriced = (
      await db.all<{ model: string; n: string }>(
        'SELECT model, count(*)::VARCHAR AS n FROM reprice_new WHERE unpriced GROUP BY model ORDER BY count(*) DESC, model',
      )
    ).map((r) => ({ model: r.model, rows: Number(r.n) }));
    if (!options.dryRun) {
      await db.run(
        `UPDATE usage SET ${PRICED_COLUMNS.map((c) => `${c} = n.${c}`).join(', ')}
         FROM reprice_new n WHERE usage.rowid = n._rid AND ${rewrite}`,
      );
    }
    await db.run('DROP TABLE IF EXISTS reprice_src');
    await db.run('DROP TABLE IF EXISTS reprice_new');
    // Costs of rows already in the rollup changed: recompute it with them.
    if (!options.dryRun && Number(stats!.changed) > 0) await refreshRollup(db);
    const alertsResolved =
      options.dryRun || !options.now ? 0 : await resolvePricedAlerts(db, options.actor ?? 'costctl', options.now);
    return {
      rows_considered: Number(stats!.considered),
      rows_changed: Number(stats!.changed),
      newly_priced: Number(stats!.newly_priced),
      newly_unpriced: Number(stats!.newly_unpriced),
      total_before: stats!.before!,
      total_after: stats!.after!,
      delta: stats!.delta!,
      still_unpriced: stillUnpriced,
      alerts_resolved: alertsResolved,
    };
  });
}

/** The unpriced_usage alerts (one per model) left open after their rows were all priced. */
async function resolvePricedAlerts(db: Db, actor: string, now: Date): Promise<number> {
  const left = new Set(
    (await db.all<{ model: string }>('SELECT DISTINCT model FROM usage WHERE unpriced')).map((r) => r.model),
  );
  let resolved = 0;
  for (const open of await listAlerts(db, { type: 'unpriced_usage' })) {
    if (open.status !== 'resolved' && open.subject.startsWith('model:') && !left.has(open.subject.slice(6)))
      resolved += await resolveAlerts(db, { id: open.id }, actor, now, 'priced by costctl reprice');
  }
  return resolved;
}
