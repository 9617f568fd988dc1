// Loads fixtures/reports/usage.csv (hand-checked totals in its README) into a database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../src/db/database.js';
import { ROOT } from './cli.js';
import { insertUsage, type UsageRowInput } from './seed.js';

export function reportFixtureRows(): UsageRowInput[] {
  const lines = readFileSync(join(ROOT, 'fixtures', 'reports', 'usage.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return lines.map((l, i) => {
    const [ts, user, department, model, input, output, cost] = l.split(',');
    return {
      id: `fx${i + 1}`,
      ts: ts!,
      user: user!,
      department: department || null,
      model: model!,
      input: Number(input),
      output: Number(output),
      cost: cost || null,
    };
  });
}

export async function loadReportFixture(db: Db): Promise<void> {
  await insertUsage(db, reportFixtureRows(), 'fixture');
}
