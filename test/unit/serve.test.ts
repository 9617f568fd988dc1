// The server's pure parts: --listen parsing, the hold ledger, turns, and how schema errors name a field.
import { describe, expect, it } from 'vitest';
import { listenAddress } from '../../src/commands/serve.js';
import { Decimal } from '../../src/domain/money.js';
import { Turns } from '../../src/services/serve/exclusive.js';
import { HoldLedger } from '../../src/services/serve/holds.js';
import { fieldOf, schemaMessage } from '../../src/services/serve/http-errors.js';
import { isLoopback } from '../../src/services/serve/server.js';

describe('listenAddress', () => {
  it.each([
    ['127.0.0.1:8787', { host: '127.0.0.1', port: 8787 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
  ])('%s', (text, want) => expect(listenAddress(text)).toEqual(want));
  it.each(['8787', '127.0.0.1', '127.0.0.1:99999', ':80', '127.0.0.1:x'])('refuses %s', (text) =>
    expect(() => listenAddress(text)).toThrow(/must be HOST:PORT/),
  );
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['10.0.0.5', false],
    ['::', false],
  ])('%s → %s', (host, want) => expect(isLoopback(host)).toBe(want));
});

describe('HoldLedger', () => {
  it('sums holds per key, replaces a repeated request id, and releases exactly what it held', () => {
    const l = new HoldLedger(60_000);
    l.hold('a', [{ key: 'q', limit: 'quota q', amount: new Decimal('0.004') }]);
    l.hold('b', [
      { key: 'q', limit: 'quota q', amount: new Decimal('0.001') },
      { key: 'b', limit: 'budget b', amount: new Decimal('2') },
    ]);
    expect(l.held('q').toFixed()).toBe('0.005');
    l.hold('a', [{ key: 'q', limit: 'quota q', amount: new Decimal('0.01') }]);
    expect(l.held('q').toFixed()).toBe('0.011');
    l.release('b');
    expect([l.held('q').toFixed(), l.held('b').toFixed(), l.requests]).toEqual(['0.01', '0', 1]);
    l.release('a');
    l.release('a');
    expect([l.held('q').toFixed(), l.requests]).toEqual(['0', 0]);
  });
});

describe('Turns', () => {
  it('runs one at a time in arrival order; a failure does not stop the next; a nested turn runs at once', async () => {
    const t = new Turns();
    const log: string[] = [];
    const step = (name: string) =>
      t.run(async () => {
        log.push(`${name} start`);
        await new Promise((r) => setImmediate(r));
        log.push(`${name} end`);
        if (name === 'b') throw new Error('b failed');
        return name;
      });
    const results = await Promise.allSettled([step('a'), step('b'), step('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(await t.run(() => t.run(async () => 'inner'))).toBe('inner');
    expect(t.pending).toBe(0);
  });
});

describe('schema errors name the field', () => {
  const e = (instancePath: string, keyword: string, params: Record<string, unknown> = {}, message?: string) => ({
    instancePath,
    keyword,
    params,
    message,
  });
  it.each([
    [e('/0/input_tokens', 'type'), '', 'input_tokens'],
    [e('/3/input_tokens', 'type'), 'records', 'records[3].input_tokens'],
    [e('/0', 'required', { missingProperty: 'model' }), '', 'model'],
    [e('/2', 'additionalProperties', { additionalProperty: 'modle' }), 'records', 'records[2].modle'],
    [e('', 'type'), 'records', 'records'],
    [e('', 'required', { missingProperty: 'user' }), '', 'user'],
  ])('%o under %s → %s', (err, root, want) => expect(fieldOf(err, root)).toBe(want));

  it('says what a count and a money field must be', () => {
    const count = schemaMessage(
      [e('/0/input_tokens', 'type', {}, 'must be integer'), e('/0/input_tokens', 'anyOf')],
      '',
    );
    expect(count.message).toBe('input_tokens must be a non-negative whole number (or its digits as a string)');
    const money = schemaMessage([e('/0/reported_cost', 'type', {}, 'must be string')], '');
    expect(money.message).toMatch(/^reported_cost must be a non-negative decimal written as a string/);
  });
});
