// Stages one FOCUS file through the adapter and reads back what it staged, its rejects and billed total.
import type { Db } from '../../../src/db/database.js';
import { focusAdapter } from '../../../src/ingest/billing/focus.js';
import { inputFile } from '../../../src/services/ingest/inputs.js';

export async function stageOne(db: Db, path: string) {
  const result = await focusAdapter.stage(db, inputFile(path, true), { source: 'focus' });
  const staged = await db.all('SELECT * FROM staged ORDER BY line');
  const rejects = await db.all('SELECT * FROM staged_rejects ORDER BY line');
  const total = await db.one<{ t: string | null }>('SELECT sum(billed_cost)::VARCHAR AS t FROM staged');
  return { result, staged, rejects, total: total?.t ?? null };
}
