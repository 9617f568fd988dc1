// What each role may call, and what a masked viewer reads: one line per case.
import { describe, expect, it } from 'vitest';
import { pseudonym } from '../../src/domain/pseudonym.js';
import { maskIds } from '../../src/services/serve/masking.js';
import { roleAllows } from '../../src/services/serve/roles.js';

describe('roleAllows', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['gateway', 'POST', '/api/v1/cost/check', true],
    ['gateway', 'POST', '/api/v1/cost/records', true],
    ['gateway', 'POST', '/api/v1/cost/estimate', true],
    ['gateway', 'GET', '/api/v1/cost/dashboard', false],
    ['gateway', 'GET', '/api/v1/cost/records', false],
    ['gateway', 'POST', '/api/v1/cost/alerts/3/resolve', false],
    ['gateway', 'POST', '/api/v1/cli', false],
    ['gateway', 'GET', '/api/v1/openapi.json', true],
    ['viewer', 'GET', '/api/v1/cost/dashboard', true],
    ['viewer', 'GET', '/api/v1/cost/records', true],
    ['viewer', 'GET', '/api/v1/cost/stream', true],
    ['viewer', 'POST', '/api/v1/cost/records', false],
    ['viewer', 'POST', '/api/v1/cost/check', false],
    ['viewer', 'POST', '/api/v1/cost/alerts/3/resolve', false],
    ['viewer', 'POST', '/api/v1/cli', false],
    ['viewer', 'GET', '/api/v1/status', true],
    ['admin', 'POST', '/api/v1/cli', true],
    ['admin', 'POST', '/api/v1/cost/alerts/3/resolve', true],
    ['admin', 'DELETE', '/api/v1/cost/models/x', true],
    // A route nobody named is an admin's only.
    ['viewer', 'DELETE', '/api/v1/cost/models/x', false],
    ['gateway', 'PUT', '/api/v1/cost/quotas/q', false],
  ];
  it.each(cases)('%s %s %s → %s', (role, method, path, allowed) => {
    expect(roleAllows(role as never, method, path)).toBe(allowed);
  });
});

describe('maskIds', () => {
  const salt = 'abc';
  const u = (v: string) => pseudonym('user_id', v, salt);
  const a = (v: string) => pseudonym('account_id', v, salt);
  it("pseudonyms are the export's shape and stable", () => {
    expect(u('alice')).toMatch(/^u-[0-9a-f]{12}$/);
    expect(a('wx-1')).toMatch(/^a-[0-9a-f]{12}$/);
    expect(u('alice')).toBe(pseudonym('user_id', 'alice', salt));
    expect(u('alice')).not.toBe(u('bob'));
  });
  const cases: Array<[string, unknown, unknown]> = [
    [
      'record row',
      { user_id: 'alice', account_id: 'wx-1', model: 'm' },
      { user_id: u('alice'), account_id: a('wx-1'), model: 'm' },
    ],
    ['null ids stay null', { user_id: null, account_id: null }, { user_id: null, account_id: null }],
    [
      'dashboard top user',
      { top_users: [{ user: 'bob', total_cost: '1' }] },
      { top_users: [{ user: u('bob'), total_cost: '1' }] },
    ],
    ['no user', { top_users: [{ user: '(none)' }] }, { top_users: [{ user: '(none)' }] }],
    ['scope object', { scope: { type: 'user', value: 'alice' } }, { scope: { type: 'user', value: u('alice') } }],
    [
      'department scope kept',
      { scope: { type: 'department', value: 'sales' } },
      { scope: { type: 'department', value: 'sales' } },
    ],
    [
      'scope text',
      [{ scope: 'account:wx-1' }, { scope: 'global' }],
      [{ scope: `account:${a('wx-1')}` }, { scope: 'global' }],
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(maskIds(input, salt)).toEqual(expected);
  });
});
