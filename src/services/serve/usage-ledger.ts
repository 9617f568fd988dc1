// The window usage a running server's checks read, kept in memory: a check then runs no statement and
// does not wait for the connection behind record batches. Each span (scope, model filter, window start)
// is read once from the database (the rollup or the rows) and then kept up to date from every batch the
// server commits (RecordBatcher calls applyBatch with the rows in hand, in the batch's turn).
//
// Why the kept sums are exact: a span is kept only when read at an instant at or after every stored row,
// so it holds every row since its start; each committed row at or after the start is added; and it
// answers only checks at or after the latest stored row (a check in the past, or after a row stamped
// ahead of the clock, reads the database as before). Anything else that writes usage, the rollup or the
// directory on the connection (a CLI command, a job, an API write) changes the connection's write stamp
// of those tables, and the ledger starts over from the database at the next check. A new window (the
// hour, day, month rolls over; a quota's reset) is a new span, read once.
import type { Db } from '../../db/database.js';
import { readWindowUsage, type UsageSource } from '../limits/check.js';
import type { Metric } from '../limits/quotas.js';
import { type UsageWindow, type WindowUsage, zeroUsage as zero } from '../limits/status.js';
import type { RollupRow } from '../limits/rollup-add.js';

/** What the ledger needs of one stored usage row: what the quota rollup needs. */
export type LedgerRow = RollupRow;

/** Tables whose change by anyone but the batches the ledger is told of makes what it keeps stale. */
const USAGE_TABLES = ['usage', 'usage_rollup', 'rollup_meta', 'rollup_models', 'rollup_scopes', 'directory'];
const ALL_METRICS: ReadonlySet<Metric> = new Set(['cost', 'tokens', 'requests']);
/** Spans past this many are dropped (they are read again when asked): old windows and departed users. */
const SPANS_MAX = 20_000;

interface Span {
  model: string;
  start: number;
  sum: WindowUsage;
}

type Attribution = { department: string | null; organization: string | null; project: string | null };

const copy = (u: WindowUsage): WindowUsage => ({ ...u });
const scopeKey = (type: string, value: string | null) => `${type}\u0000${value ?? ''}`;

export class UsageLedger {
  /** Scope key → its spans. */
  private spans = new Map<string, Span[]>();
  private spanCount = 0;
  private directory = new Map<string, Attribution>();
  /** The connection's write stamp of USAGE_TABLES the kept sums answer for; -1: nothing kept. */
  private stamp = -1;
  /** The latest instant of a stored row (ms): only checks at or after it are answered from memory. */
  private latest = Number.POSITIVE_INFINITY;
  /** Changes whenever the usage kept here grows: a check compares it before it holds (checks.ts). */
  version = 0;

  constructor(
    private readonly db: Db,
    private readonly tz: string,
  ) {}

  /** The stamp before a batch writes: applyBatch keeps the ledger only if nothing else wrote meanwhile. */
  stampNow(): number {
    return this.db.writeStamp(USAGE_TABLES);
  }

  /** Forgets everything kept (read again at the next check): for a write the stamps cannot see. */
  invalidate(): void {
    this.stamp = -1;
    this.spans.clear();
    this.spanCount = 0;
    this.version++;
  }

  /** A check's usage at `at`: kept spans from memory, the rest read (statements need the turn). */
  sourceAt(at: Date): UsageSource {
    return async (windows, _metrics, rollup) => {
      if (this.stamp !== this.stampNow()) await this.load();
      const atMs = at.getTime();
      const out = new Map<string, WindowUsage>();
      const missing: UsageWindow[] = [];
      for (const w of windows) {
        const span = w.until === undefined && atMs >= this.latest ? this.spanOf(w) : undefined;
        if (!span) missing.push(w);
        else if (span.sum.rows > 0) out.set(w.key, copy(span.sum));
      }
      if (missing.length === 0) return out;
      // Every metric, so a span serves whichever quota asks next.
      const read = await readWindowUsage(this.db, missing, at, this.tz, rollup, ALL_METRICS);
      const keep = atMs >= this.latest;
      for (const w of missing) {
        const u = read.get(w.key);
        if (u) out.set(w.key, u);
        if (keep && w.until === undefined && !this.spanOf(w)) this.addSpan(w, u ? copy(u) : zero());
      }
      return out;
    };
  }

  /**
   * Adds a committed batch's stored rows (called in the batch's turn, right after its commit). `before`
   * is stampNow() from before the batch wrote: if something else wrote since the ledger was read, the
   * ledger starts over instead.
   */
  applyBatch(rows: LedgerRow[], before: number): void {
    this.version++;
    if (this.stamp === -1 || before !== this.stamp) {
      this.invalidate();
      return;
    }
    for (const r of rows) {
      const t = r.ts.getTime();
      if (t > this.latest) this.latest = t;
      for (const [type, value] of this.scopesOf(r))
        for (const span of this.spans.get(scopeKey(type, value)) ?? []) {
          if (t < span.start) continue;
          if (span.model !== '' && span.model !== r.model && span.model !== r.pricedModel) continue;
          const s = span.sum;
          s.cost = r.totalCost === null ? s.cost : s.cost.plus(r.totalCost);
          s.tokens = s.tokens.plus(r.tokens.toString());
          s.requests = s.requests.plus(r.requests.toString());
          s.rows += 1;
          s.unpricedRows += r.totalCost === null ? 1 : 0;
        }
    }
    this.stamp = this.stampNow();
  }

  private spanOf(w: UsageWindow): Span | undefined {
    const model = w.model ?? '';
    const start = w.start.getTime();
    return this.spans.get(scopeKey(w.scope.type, w.scope.value))?.find((s) => s.model === model && s.start === start);
  }

  private addSpan(w: UsageWindow, sum: WindowUsage): void {
    if (this.spanCount >= SPANS_MAX) {
      this.spans.clear();
      this.spanCount = 0;
    }
    const key = scopeKey(w.scope.type, w.scope.value);
    const list = this.spans.get(key) ?? [];
    list.push({ model: w.model ?? '', start: w.start.getTime(), sum });
    this.spans.set(key, list);
    this.spanCount++;
  }

  /** The scopes a row counts toward, as the rollup and the row scans attribute it (directory fills gaps). */
  private scopesOf(r: LedgerRow): Array<[string, string]> {
    const d = r.userId === null ? undefined : this.directory.get(r.userId);
    const pairs: Array<[string, string | null]> = [
      ['global', null],
      ['user', r.userId],
      ['account', r.accountId],
      ['department', r.department ?? d?.department ?? null],
      ['organization', r.organization ?? d?.organization ?? null],
      ['project', r.project ?? d?.project ?? null],
    ];
    return pairs.filter((p): p is [string, string] => p[0] === 'global' || p[1] !== null);
  }

  /** Starts over: the directory and the latest row instant; spans are read as checks ask for them. */
  private async load(): Promise<void> {
    const stamp = this.stampNow();
    const [last] = await this.db.all<{ ms: string | null }>('SELECT epoch_ms(max(ts))::VARCHAR AS ms FROM usage');
    const rows = await this.db.all<Attribution & { user_id: string }>(
      'SELECT user_id, department, organization, project FROM directory',
    );
    this.directory = new Map(rows.map((d) => [d.user_id, d]));
    this.latest = last?.ms == null ? Number.NEGATIVE_INFINITY : Number(last.ms);
    this.spans.clear();
    this.spanCount = 0;
    this.stamp = stamp;
  }
}
