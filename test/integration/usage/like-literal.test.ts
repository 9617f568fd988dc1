// #17 Low: `_` and `%` typed into a search or a file filter are themselves, not LIKE wildcards.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listModels } from '../../../src/services/prices/catalog.js';
import { listRejects } from '../../../src/services/usage/rejects.js';
import { addDollarModel } from '../../helpers/catalog.js';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { ingest } from '../ingest/ingest-helpers.js';

describe('wildcard characters match literally', () => {
  it('models list --search gpt_4 finds gpt_4x, not gpt-4o; % finds only a name with %', async () => {
    await withTempDb(async (db) => {
      for (const name of ['gpt-4o', 'gpt_4x', 'GPT_4-big', 'rate-100%']) await addDollarModel(db, name);
      const names = async (search: string) => (await listModels(db, { search }, new Date())).map((m) => m.name).sort();
      expect(await names('gpt_4')).toEqual(['GPT_4-big', 'gpt_4x']);
      expect(await names('%')).toEqual(['rate-100%']);
      expect(await names('GPT-4')).toEqual(['gpt-4o']);
    });
  });

  it('rejects list --file a_b.jsonl does not match axb.jsonl', async () => {
    const dir = tempDir();
    for (const name of ['a_b.jsonl', 'axb.jsonl'])
      writeFileSync(join(dir, name), `{"timestamp":"2026-03-01T00:00:00Z","model":"${name}"}\n{"broken\n`);
    await withTempDb(async (db) => {
      await ingest(db, [join(dir, 'a_b.jsonl'), join(dir, 'axb.jsonl')], { format: 'usage' });
      const files = async (file: string) => [...new Set((await listRejects(db, { file })).map((r) => r.file))];
      expect(await files('a_b.jsonl')).toEqual([join(dir, 'a_b.jsonl')]);
      expect(await files('%.jsonl')).toEqual([]);
      expect((await files('.jsonl')).length).toBe(2);
    });
  });
});
