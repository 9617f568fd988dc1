// alerts as a user sees them: raised by record, listed, acknowledged, resolved; one per crossing;
// a raised limit resolves; threshold rules and unpriced usage; bad ids.
import { describe, expect, it } from 'vitest';
import { dollarModelCli } from '../helpers/cli.js';

function setup() {
  const { run } = dollarModelCli('2026-03-10T12:00:00Z');
  return run;
}

const alerts = (run: (...a: string[]) => { stdout: string }, ...filter: string[]) =>
  JSON.parse(run('alerts', 'list', '--json', ...filter).stdout);

describe('alerts CLI', () => {
  it('record raises one alert per crossing; ack, resolve, raised limit resolves', () => {
    const run = setup();
    expect(alerts(run)).toEqual([]);
    expect(
      run(
        'quotas',
        'add',
        'ops',
        '--scope',
        'department:ops',
        '--period',
        'monthly',
        '--limit',
        '10',
        '--notify',
        'ops@example.com',
      ).code,
    ).toBe(0);
    const rec = (tokens: string) =>
      run(
        'record',
        '--model',
        'm-dollar',
        '--department',
        'ops',
        '--input-tokens',
        tokens,
        '--timestamp',
        '2026-03-10T11:00:00Z',
        '--json',
      );
    let r = JSON.parse(rec('8000').stdout); // $8 = 80 %
    expect(r.alerts_raised.map((a: any) => [a.type, a.subject, a.recipients])).toEqual([
      ['quota_warning', 'quota:ops', ['ops@example.com']],
    ]);
    r = JSON.parse(rec('500').stdout); // $8.50: still warning, nothing new
    expect(r.alerts_raised).toEqual([]);
    const [warning] = alerts(run);
    // observed is what the crossing saw ($8), not the later $8.50: the alert is the crossing.
    expect(warning).toMatchObject({ type: 'quota_warning', status: 'open', severity: 'warning' });
    expect(Number(warning.observed)).toBe(8);

    expect(run('alerts', 'ack', String(warning.id)).code).toBe(0);
    expect(alerts(run)[0]).toMatchObject({ status: 'acknowledged', acknowledged_by: 'test-runner' });

    r = JSON.parse(rec('1500').stdout); // $8.50 → $10 = 100 %: crosses 95 % and 100 % at once, both raised
    expect(r.alerts_raised.map((a: any) => a.type)).toEqual(['quota_critical', 'quota_exceeded']);
    expect(alerts(run, '--status', 'open').map((a: any) => a.type)).toEqual(['quota_critical', 'quota_exceeded']);

    // Raising the limit to 20 ends every condition (50 %): all three resolve, nothing new is raised.
    expect(run('quotas', 'update', 'ops', '--limit', '20').code).toBe(0);
    const ev = JSON.parse(run('alerts', 'evaluate', '--json').stdout);
    expect(ev).toMatchObject({ raised: [], resolved: 3 });
    expect(alerts(run, '--status', 'resolved')).toHaveLength(3);
    expect(alerts(run, '--type', 'quota_exceeded')[0].status).toBe('resolved');
  });

  it('threshold rules, unpriced usage, manual resolve with a note', () => {
    const run = setup();
    expect(
      run(
        'alerts',
        'rules',
        'add',
        'big-day',
        '--scope',
        'global',
        '--period',
        'daily',
        '--amount',
        '5',
        '--notify',
        'cfo@example.com',
      ).code,
    ).toBe(0);
    expect(JSON.parse(run('alerts', 'rules', 'list', '--json').stdout)).toEqual([
      { name: 'big-day', scope: 'global', period: 'daily', amount: '5', notify: ['cfo@example.com'] },
    ]);
    run('record', '--model', 'm-dollar', '--input-tokens', '6000', '--timestamp', '2026-03-10T10:00:00Z');
    run('record', '--model', 'gpt-nobody-knows', '--input-tokens', '10', '--timestamp', '2026-03-10T10:00:00Z');
    const list = alerts(run);
    expect(list.map((a: any) => [a.type, a.subject])).toEqual([
      ['threshold', 'threshold:big-day'],
      ['unpriced_usage', 'model:gpt-nobody-knows'],
    ]);
    expect(list[0].recipients).toEqual(['cfo@example.com']);
    const res = run('alerts', 'resolve', String(list[1].id), '--note', 'known test model', '--json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ status: 'resolved', resolution_note: 'known test model' });
    expect(run('alerts', 'resolve', String(list[1].id)).code).toBe(1);
    expect(run('alerts', 'ack', String(list[1].id)).code).toBe(1);
  });

  it.each([
    [['alerts', 'ack', 'abc'], 2, "argument 'id'"],
    [['alerts', 'ack', '0'], 2, "argument 'id'"],
    [['alerts', 'ack', '999'], 1, 'alert 999 does not exist'],
    [['alerts', 'resolve', '999'], 1, 'alert 999 does not exist'],
    [['alerts', 'list', '--status', 'closed'], 2, '--status'],
    [['alerts', 'list', '--type', 'fire'], 2, '--type'],
    [['alerts', 'evaluate', '--at', 'soon'], 2, '--at'],
    [['alerts', 'rules', 'add', 'r', '--scope', 'team:x', '--period', 'daily', '--amount', '5'], 2, '--scope'],
    [['alerts', 'rules', 'add', 'r', '--scope', 'global', '--period', 'daily', '--amount', '-5'], 2, '--amount'],
    [['alerts', 'rules', 'remove', 'nope'], 1, 'rule "nope" does not exist'],
  ])('%j → exit %s (%s)', (args, code, text) => {
    const run = setup();
    const r = run(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(text);
  });
});
