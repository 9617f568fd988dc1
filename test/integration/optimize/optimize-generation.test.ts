// The optimizer never proposes a move back a generation, nor to a fine-tuned model: a cheaper model the
// catalog dates (by its snapshot names) before the model in use is legacy, however large the saving.
// Seen on the demo: claude-sonnet-4-5 traffic proposed to claude-3-haiku-20240307, and gpt-4.1-mini
// traffic to gpt-4o-mini (2024-07-18).
import { describe, expect, it } from 'vitest';
import { generateSuggestions } from '../../../src/services/optimize/suggestions.js';
import { addTokenModel } from '../../helpers/catalog.js';
import { withTempDb } from '../../helpers/db.js';
import { insertPricedUsage } from '../../helpers/seed.js';

const NOW = new Date('2026-03-08T00:00:00Z');
const window = { from: new Date('2026-03-01T00:00:00Z'), to: NOW, tz: 'UTC', now: NOW };

async function proposedFor(models: [name: string, input: string, output: string][], used: string): Promise<string[]> {
  return withTempDb(async (db) => {
    for (const [name, input, output] of models) await addTokenModel(db, name, 'acme', { input, output });
    await insertPricedUsage(db, [
      {
        request_id: 'r1',
        ts: '2026-03-02 09:00:00',
        model: used,
        provider: 'acme',
        input_tokens: 100_000,
        output_tokens: 10_000,
      },
    ]);
    const moves = (await generateSuggestions(db, window)).filter((s) => s.type === 'model_substitution');
    return moves.map((s) => s.title);
  });
}

describe('legacy and fine-tuned candidates', () => {
  it('a cheaper model dated before the one in use (by either snapshot name) is skipped', async () => {
    const catalog: [string, string, string][] = [
      ['big-4', '3', '15'],
      ['big-4-20250929', '3', '15'],
      ['small-3-20240307', '0.25', '1.25'], // dated by its own name: older, cheapest
      ['small-4', '1', '5'],
      ['small-4-20251001', '1', '5'],
      ['ft:small-4:acme::x1', '0.5', '2'], // a fine-tune: never
    ];
    expect(await proposedFor(catalog, 'big-4')).toEqual(['Move big-4 traffic to small-4']);
  });

  it('the same rule without dates on the model in use: nothing to compare, the cheapest is proposed', async () => {
    const catalog: [string, string, string][] = [
      ['big-x', '3', '15'],
      ['small-3-20240307', '0.25', '1.25'],
      ['small-4', '1', '5'],
    ];
    expect(await proposedFor(catalog, 'big-x')).toEqual(['Move big-x traffic to small-3-20240307']);
  });

  it('an older model in use may move to a newer cheaper one', async () => {
    const catalog: [string, string, string][] = [
      ['mini-4o', '0.15', '0.6'],
      ['mini-4o-2024-07-18', '0.15', '0.6'],
      ['nano-5', '0.05', '0.4'],
      ['nano-5-2025-08-07', '0.05', '0.4'],
    ];
    expect(await proposedFor(catalog, 'mini-4o')).toEqual(['Move mini-4o traffic to nano-5']);
  });
});
