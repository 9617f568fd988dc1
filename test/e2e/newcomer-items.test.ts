// Issue #18's smaller items as a newcomer meets them, each through the spawned CLI under a zone that is
// not UTC: zones in jobs, alert messages and efficiency; optimize's windows; check's closest names; quotas
// on unknown scopes; ingest's folder walk and unpriced files; reprice resolving the unpriced alert.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dollarModelCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const BERLIN = { COSTCTL_TZ: 'Europe/Berlin' };
const NOW = '2026-03-10T12:00:00Z';

describe('newcomer items (#18)', () => {
  it('shows local times with the zone named: quota alert message, jobs list, report efficiency', () => {
    const { run } = dollarModelCli(NOW, BERLIN);
    const add = run('quotas', 'add', 'sales', '--scope', 'department:sales', '--period', 'monthly', '--limit', '1');
    // No row or directory entry has department:sales yet: a warning, the quota is still added.
    expect(add.code).toBe(0);
    expect(add.stderr).toContain('warning: no usage row or directory entry has department:sales yet');
    run('record', '--model', 'm-dollar', '--input-tokens', '1000', '--output-tokens', '1000', '--user', 'u1');
    const rec = run(
      ...['record', '--model', 'm-dollar', '--input-tokens', '3000', '--department', 'sales', '--user', 'u1'],
      ...['--timestamp', '2026-03-10T10:00:00Z'],
    );
    expect(rec.code).toBe(0);
    const quotaAlerts = JSON.parse(run('alerts', 'list', '--json').stdout).filter(
      (a: { type: string }) => a.type === 'quota_exceeded',
    );
    expect(quotaAlerts[0].message).toContain('in the window from 2026-03-01 00:00 Europe/Berlin');
    expect(quotaAlerts[0].message).not.toMatch(/\dZ\b/);
    expect(run('quotas', 'add', 'sales-2', '--scope', 'department:sales', '--limit', '5').stderr).not.toContain(
      'warning',
    );

    const jobs = run('jobs', 'list', '--wide').stdout;
    expect(jobs).toContain('next run (Europe/Berlin)');
    expect(jobs).toMatch(/threshold-check .*│ 2026-03-10 13:\d\d/);
    expect(jobs).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);

    const efficiency = run('report', 'efficiency', '--wide').stdout;
    expect(efficiency).toContain('when (Europe/Berlin)');
    expect(efficiency).toContain('2026-03-10 11:00'); // 10:00 UTC
  });

  it('optimize takes the report windows and --since yesterday; check names the closest catalog names', () => {
    const { run } = dollarModelCli(NOW, BERLIN);
    for (const args of [
      ['--window', 'month'],
      ['--window', 'lastmonth'],
      ['--window', '14d'],
      ['--since', 'yesterday'],
    ]) {
      const r = run('optimize', ...args);
      expect(`${args.join(' ')}: ${r.code} ${r.stderr}`).toBe(`${args.join(' ')}: 0 `);
    }
    expect(run('optimize', '--window', 'month').stdout).toContain('2026-03-01 00:00 Europe/Berlin');
    expect(run('optimize', '--window', 'soon').code).toBe(2);
    const check = run('check', '--user', 'u1', '--model', 'm-dolar', '--input-tokens', '10');
    expect(check.stderr).toContain('model "m-dolar" is not in the price catalog (closest: m-dollar');
  });

  it('ingest names skipped files, refuses a folder with nothing to load, never says $0.00 for unpriced rows', () => {
    const { run } = dollarModelCli(NOW);
    const empty = tempDir('costctl-empty-');
    const none = run('ingest', empty);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`nothing to ingest: no data files`);
    const dir = tempDir('costctl-walk-');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    writeFileSync(join(dir, 'sub', 'empty.jsonl'), '');
    const row = (id: string, model: string) =>
      JSON.stringify({
        request_id: id,
        timestamp: '2026-03-09T10:00:00Z',
        model,
        input_tokens: 1000,
        output_tokens: 0,
      });
    writeFileSync(join(dir, 'sub', 'unpriced.jsonl'), `${row('u1', 'm-new')}\n`);
    writeFileSync(join(dir, 'sub', 'mixed.jsonl'), `${row('x1', 'm-dollar')}\n${row('x2', 'm-new')}\n`);
    const walk = run('ingest', dir);
    expect(walk.code).toBe(0);
    expect(walk.stderr).toContain('skipped 2 file(s)');
    expect(walk.stderr).toContain(join(dir, 'notes.txt'));
    expect(walk.stderr).toContain(`${join(dir, 'sub', 'empty.jsonl')} (empty)`);
    expect(walk.stdout).toMatch(/unpriced\.jsonl \(usage\): .*, cost unknown \(unpriced\)/);
    expect(walk.stdout).toMatch(/mixed\.jsonl \(usage\): .*, cost \$1\.00 \+ 1 unpriced row$/m);
    expect(walk.stderr).toContain('m-new (2 rows)');

    // The unpriced alert has no window (not 1970); pricing the model and repricing resolves it.
    expect(run('alerts', 'list').stdout).toMatch(/unpriced_usage .*│ none/);
    run('models', 'add', 'm-new', '--provider', 'test', '--input-price', '1', '--output-price', '1');
    const reprice = run('reprice', '--model', 'm-new');
    expect(reprice.stdout).toContain('repriced 2 rows: 2 changed, 2 newly priced');
    expect(reprice.stderr).toContain('resolved 1 unpriced-usage alert');
    const unpriced = JSON.parse(run('alerts', 'list', '--json').stdout).filter(
      (a: { type: string }) => a.type === 'unpriced_usage',
    );
    expect(unpriced.map((a: { status: string }) => a.status)).toEqual(['resolved']);
    expect(run('reprice', '--model', 'm-dollar').stdout).toContain('repriced 1 row: 0 changed');
  });
});
