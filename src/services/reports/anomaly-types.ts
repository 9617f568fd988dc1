// What an anomaly scan finds: one bucket (a day or an hour) whose spend left its expected range.
import type { FilterName } from '../../db/usage-filters.js';
import type { Decimal } from '../../domain/money.js';
import type { Contributors } from './anomaly-contributors.js';

export type AnomalyGrain = 'hour' | 'day';

export interface Anomaly {
  grain: AnomalyGrain;
  /** 'total' (all spend in scope) or the dimension of a per-key scan, with its key. */
  dimension: 'total' | FilterName;
  key: string;
  /** Local label: `2026-03-02` or `2026-03-02 14:00`. */
  period: string;
  start: Date;
  end: Date;
  direction: 'spike' | 'drop';
  expected: Decimal;
  actual: Decimal;
  impact: Decimal;
  impact_pct: number | null;
  score: number;
  contributors: Contributors;
  /** False when an earlier scan already stored (and alerted) it. */
  new: boolean;
}
