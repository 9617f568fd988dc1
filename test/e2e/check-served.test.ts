// `costctl check` takes every flag `estimate` takes (#15): the served tier, fast mode and region, the 1-hour
// cache and the component breakdowns, and prices the worst case with them exactly as estimate does. Prices
// are hand computations from the bundled LiteLLM entries (per token), written beside each figure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LITELLM_CATALOG, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'costctl-check-served-'));
const db = join(dir, 'catalog.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = { COSTCTL_NOW: '2026-03-10T12:00:00Z' };
const run = (...args: string[]) => runCli(args, { db, env: NOW });

beforeAll(() => {
  expect(runCli(['models', 'import', LITELLM_CATALOG], { db }).code).toBe(0);
  // A hard daily cost limit of $0.10 for u-1: the standard Opus request fits, its fast-mode twin does not.
  expect(run('quotas', 'add', 'u1-day', '--scope', 'user:u-1', '--period', 'daily', '--limit', '0.1').code).toBe(0);
});

const check = (...args: string[]) => run('check', '--user', 'u-1', ...args, '--json');
const estimate = (...args: string[]) => run('estimate', ...args, '--json');

/** check's worst case and estimate's total for the same flags (estimate takes --max-output-tokens too). */
function both(...args: string[]) {
  const c = check(...args);
  const e = estimate(...args);
  expect(e.code).toBe(0);
  return { code: c.code, check: JSON.parse(c.stdout), estimate: JSON.parse(e.stdout) };
}

describe('check: served tier, speed, region and components', () => {
  it('--speed fast prices the fast/ entry: refused where the standard request is allowed', () => {
    const opus = ['--model', 'claude-opus-4-6', '--input-tokens', '1000', '--max-output-tokens', '1000'];
    // claude-opus-4-6: 1000 × 0.000005 + 1000 × 0.000025 = 0.005 + 0.025 = 0.03 ≤ 0.10
    const standard = both(...opus);
    expect(standard.code).toBe(0);
    expect(standard.check).toMatchObject({ allowed: true, estimated_cost: '0.03', model: 'claude-opus-4-6' });
    // fast/claude-opus-4-6: 1000 × 0.00003 + 1000 × 0.00015 = 0.03 + 0.15 = 0.18 > 0.10
    const fast = both(...opus, '--speed', 'fast');
    expect(fast.code).toBe(3);
    expect(fast.check).toMatchObject({
      allowed: false,
      estimated_cost: '0.18',
      model: 'fast/claude-opus-4-6',
      price_rules: ['fast mode: fast/claude-opus-4-6 prices'],
    });
    expect(fast.check.reason).toContain('u1-day');
    expect(fast.estimate.total_cost).toBe('0.180000');
    // Human output names the rule under the worst case.
    const h = run('check', '--user', 'u-1', ...opus, '--speed', 'fast');
    expect(h.code).toBe(3);
    expect(h.stdout).toContain('REFUSED: fast/claude-opus-4-6, worst case $0.18');
    expect(h.stdout).toContain('rules: fast mode: fast/claude-opus-4-6 prices');
  });

  it('--region us prices the us/ entry; a region without an entry of its own is standard', () => {
    const sonnet = ['--model', 'claude-sonnet-4-6', '--input-tokens', '1000', '--max-output-tokens', '1000'];
    // us/claude-sonnet-4-6: 1000 × 0.0000033 + 1000 × 0.0000165 = 0.0033 + 0.0165 = 0.0198
    const us = both(...sonnet, '--region', 'us');
    expect(us.check).toMatchObject({
      estimated_cost: '0.0198',
      model: 'us/claude-sonnet-4-6',
      price_rules: ['region us: us/claude-sonnet-4-6 prices'],
    });
    expect(us.estimate.total_cost).toBe('0.019800');
    // claude-sonnet-4-6 (no eu/ entry): 1000 × 0.000003 + 1000 × 0.000015 = 0.003 + 0.015 = 0.018
    const eu = both(...sonnet, '--region', 'eu');
    expect(eu.check).toMatchObject({ estimated_cost: '0.018', model: 'claude-sonnet-4-6', price_rules: [] });
    expect(eu.estimate.total_cost).toBe('0.018000');
  });

  it('fast mode on a model without a fast/ entry is unpriced (never standard): refused unless --allow-unpriced', () => {
    const args = ['--model', 'claude-sonnet-4-6', '--input-tokens', '10', '--speed', 'fast'];
    const r = check(...args);
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ allowed: false, estimated_cost: null });
    expect(j.reason).toContain('has no price');
    expect(j.warnings).toContain(
      'claude-sonnet-4-6 is unpriced here: served fast: no fast/claude-sonnet-4-6 in the catalog, and fast mode costs a multiple of the standard price',
    );
    expect(check(...args, '--allow-unpriced').code).toBe(0);
  });

  it('--service-tier priority and flex at the tier rates; a tier without rates is unpriced', () => {
    const gpt5 = ['--model', 'gpt-5', '--input-tokens', '1000', '--max-output-tokens', '1000'];
    // priority: 1000 × 0.0000025 + 1000 × 0.00002 = 0.0025 + 0.02 = 0.0225
    const priority = both(...gpt5, '--service-tier', 'priority');
    expect(priority.check).toMatchObject({
      estimated_cost: '0.0225',
      price_rules: ['service tier priority: priority prices'],
    });
    expect(priority.estimate.total_cost).toBe('0.022500');
    // flex: 1000 × 0.000000625 + 1000 × 0.000005 = 0.000625 + 0.005 = 0.005625
    expect(check(...gpt5, '--service-tier', 'flex').stdout).toContain('"estimated_cost": "0.005625"');
    const r = check('--model', 'claude-haiku-4-5', '--input-tokens', '10', '--service-tier', 'priority');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).warnings).toContain(
      'claude-haiku-4-5 is unpriced here: service tier priority: no priority price in the catalog',
    );
  });

  it('--cache-write-1h-tokens and the component flags are priced as estimate prices them', () => {
    // claude-opus-4-6: 2000 × 0.00001 (cache_creation_input_token_cost_above_1hr) = 0.02
    const cache = both('--model', 'claude-opus-4-6', '--cache-write-1h-tokens', '2000');
    expect(cache.check.estimated_cost).toBe('0.02');
    expect(cache.estimate.cache_write_cost).toBe('0.020000');
    // gpt-4o-audio-preview: 600 × 0.0000025 + 400 × 0.00004 + 200 × 0.00001 + 300 × 0.00008
    //   = 0.0015 + 0.016 + 0.002 + 0.024 = 0.0435
    const audio = both(
      ...['--model', 'gpt-4o-audio-preview', '--input-tokens', '1000', '--audio-input-tokens', '400'],
      ...['--max-output-tokens', '500', '--audio-output-tokens', '300'],
    );
    expect(audio.check.estimated_cost).toBe('0.0435');
    expect(audio.estimate.total_cost).toBe('0.043500');
    // gpt-4o-mini has no audio output price: 100 text tokens × 0.0000006 = 0.00006, the audio part left out
    const partly = check('--model', 'gpt-4o-mini', '--max-output-tokens', '200', '--audio-output-tokens', '100');
    const j = JSON.parse(partly.stdout);
    expect([j.estimated_cost, j.unpriced_parts]).toEqual(['0.00006', ['audio output tokens']]);
    expect(j.warnings).toContain(
      'partly unpriced: no price for audio output tokens (left out of the worst case, which is a floor)',
    );
  });

  it('bad flag combinations are usage errors (exit 2)', () => {
    const both = check('--model', 'gpt-5', '--output-tokens', '5', '--max-output-tokens', '5');
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('not both')]);
    const over = check('--model', 'o1', '--max-output-tokens', '10', '--reasoning-tokens', '11');
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('exceed --max-output-tokens (10)');
    expect(check('--model', 'gpt-5', '--speed', 'turbo').code).toBe(2);
  });
});
