// The real Claude Code sample (fixtures/samples/claude-code/spotter) priced by costctl against ccusage 20's
// daily report on the same files, recorded in fixtures/samples/claude-code/ccusage-daily.json (command in
// fixtures/samples/ORIGIN.md): per day and model, the same tokens, and the same cost to the cent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { SAMPLES, ingest, withCatalogDb } from './ingest-helpers.js';

interface Breakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number;
}
const ccusage = JSON.parse(readFileSync(join(SAMPLES, 'claude-code', 'ccusage-daily.json'), 'utf8')) as {
  daily: { period: string; modelBreakdowns: Breakdown[] }[];
};

describe('Claude Code sample: costctl against ccusage 20', () => {
  it('per day and model: same tokens, same cost to the cent', async () => {
    await withCatalogDb(async (db) => {
      await ingest(db, [join(SAMPLES, 'claude-code', 'spotter')]);
      const ours = await db.all<Record<string, string>>(
        `SELECT strftime(ts, '%Y-%m-%d') AS day, model, sum(input_tokens)::VARCHAR AS i, sum(output_tokens)::VARCHAR AS o,
           sum(cache_write_tokens + cache_write_1h_tokens)::VARCHAR AS w, sum(cache_read_tokens)::VARCHAR AS r,
           sum(total_cost)::VARCHAR AS cost
         FROM usage GROUP BY ALL ORDER BY 1, 2`,
      );
      const theirs = ccusage.daily.flatMap((d) =>
        d.modelBreakdowns.map((b) => ({
          day: d.period,
          model: b.modelName,
          i: String(b.inputTokens),
          o: String(b.outputTokens),
          w: String(b.cacheCreationTokens),
          r: String(b.cacheReadTokens),
          cost: b.cost,
        })),
      );
      theirs.sort((a, b) => `${a.day} ${a.model}`.localeCompare(`${b.day} ${b.model}`));
      const cents = (x: Decimal.Value) => new Decimal(x).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
      const show = (r: {
        day: string;
        model: string;
        i: string;
        o: string;
        w: string;
        r: string;
        cost: Decimal.Value;
      }) => `${r.day} ${r.model} in=${r.i} out=${r.o} write=${r.w} read=${r.r} $${cents(r.cost)}`;
      console.log(ours.map((r) => `costctl ${show(r as any)}`).join('\n'));
      expect(ours.map((r) => show(r as any))).toEqual(theirs.map(show));
    });
  });
});
