// Inserts priced usage rows straight into `usage` (the ingest command is tested elsewhere): every row
// carries an explicit total_cost, so a test knows its totals by hand.
import type { Db } from '../../src/db/database.js';

export interface UsageRowInput {
  ts: string; // UTC, 'YYYY-MM-DD HH:MM:SS'
  cost: string | null; // null = unpriced
  model?: string;
  user?: string | null;
  department?: string | null;
  organization?: string | null;
  project?: string | null;
  provider?: string | null;
  account?: string | null;
  session?: string | null;
  sop?: string | null;
  requestType?: string | null;
  costType?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  requests?: number;
  id?: string;
}

let seq = 0;

export async function insertUsage(db: Db, rows: UsageRowInput[], source = 'test'): Promise<void> {
  const chunk = 500;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values = part
      .map(() => '(?, ?, ?::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::DECIMAL(38,18))')
      .join(', ');
    const params = part.flatMap((r) => [
      source,
      r.id ?? `r${++seq}`,
      r.ts,
      r.model ?? 'gpt-test',
      r.provider ?? 'openai',
      r.input ?? 100,
      r.output ?? 50,
      r.cacheRead ?? 0,
      r.requests ?? 1,
      r.costType ?? 'ai_api',
      r.user === undefined ? 'alice' : r.user,
      r.department ?? null,
      r.organization ?? null,
      r.project ?? null,
      r.account ?? null,
      r.session ?? null,
      r.sop ?? null,
      r.requestType ?? null,
      r.cost === null,
      r.cost,
    ]);
    await db.run(
      `INSERT INTO usage (source, request_id, ts, model, provider, input_tokens, output_tokens, cache_read_tokens, requests, cost_type,
         user_id, department, organization, project, account_id, session_id, sop_instance_id, request_type, unpriced, total_cost)
       VALUES ${values}`,
      params,
    );
  }
}
