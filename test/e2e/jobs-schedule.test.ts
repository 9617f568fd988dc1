// `costctl jobs schedule`: setup errors stop it before the first tick (exit 2); a running scheduler
// logs one line per run and stops cleanly on SIGTERM / SIGINT.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, cliEnv, initializedDb, runCliAsync } from '../helpers/cli.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';

function configFile(config: unknown): string {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const ONLY_THRESHOLD_EVERY_SECOND = {
  jobs: {
    'threshold-check': { schedule: '* * * * * *' },
    'anomaly-scan': { enabled: false },
    reconcile: { enabled: false },
    'optimization-report': { enabled: false },
    'daily-digest': { enabled: false },
  },
};

describe('jobs schedule', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'runs jobs, one log line per run, and stops cleanly on %s',
    async (signal) => {
      const config = configFile(ONLY_THRESHOLD_EVERY_SECOND);
      const db = initializedDb();
      // An SMTP password in the URL: the start-up line names the server but never the password.
      const env = cliEnv({ db, env: { COSTCTL_SMTP_URL: 'smtp://bot:hunter2@127.0.0.1:1' } });
      const child = spawn(process.execPath, [BIN, '--config', config, 'jobs', 'schedule'], { env, cwd: ROOT });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      // Wait for the first complete run's log line, then ask it to stop.
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d) => {
          stdout += d;
          if (/threshold-check ok: .*\n/.test(stdout)) resolve();
        });
      });
      child.kill(signal);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(stderr).toContain('costctl scheduler: threshold-check "* * * * * *"');
      expect(stderr).toContain('email via smtp://bot:***@127.0.0.1:1');
      expect(stderr + stdout).not.toContain('hunter2');
      expect(stderr).toContain(`costctl scheduler: ${signal}, stopping after running jobs finish`);
      expect(stderr.trim().endsWith('costctl scheduler: stopped')).toBe(true);
      for (const line of stdout.trim().split('\n')) expect(line).toMatch(/^\S+Z threshold-check ok: /);
      // Stopping waited for the running job: every recorded run finished, one log line each.
      const history = JSON.parse((await runCliAsync(['jobs', 'history', '--json'], { db })).stdout);
      expect(history.length).toBe(stdout.trim().split('\n').length);
      expect(history.every((r: any) => r.status === 'ok' && r.trigger === 'schedule' && r.finished_at)).toBe(true);
    },
    60_000,
  );

  it.each([
    [
      { jobs: { 'threshold-chek': { schedule: '*/5 * * * *' } } },
      /jobs\.threshold-chek: unknown job \(jobs: threshold-check, anomaly-scan, reconcile, optimization-report, daily-digest\)/,
    ],
    [
      { jobs: { reconcile: { schedule: '61 2 * * *' } } },
      /jobs\.reconcile\.schedule: "61 2 \* \* \*" is not a valid cron expression \(61 is a invalid expression for minute\)/,
    ],
    [
      { jobs: { reconcile: { schedule: 'at two' } } },
      /jobs\.reconcile\.schedule: "at two" is not a valid cron expression/,
    ],
    [{ smtp: { url: 'mailto:ops@example.com' } }, /smtp\.url: must start with smtp:\/\/ or smtps:\/\//],
    [{ outbox_dir: '/dev/null/outbox' }, /outbox_dir: outbox folder \/dev\/null\/outbox is not writable \(ENOTDIR\)/],
  ])('%o is refused at start-up with exit 2', async (config, message) => {
    const r = await runCliAsync(['--config', configFile(config), 'jobs', 'schedule'], {
      db: tempDbPath(),
      env: { COSTCTL_OUTBOX_DIR: undefined },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['threshold-check', '--date', '2026-03-01'], '--date/--since/--until apply to the reconcile job only'],
    [['reconcile', '--date', '2026-3-1'], '--date: "2026-3-1" must be a calendar day such as 2026-03-01'],
    [['reconcile', '--date', '2026-03-01', '--since', '2026-02-01'], 'give either --date or --since/--until, not both'],
    [['reconcile', '--until', '2026-03-01'], '--until needs --since'],
    [['reconcile', '--since', '2026-03-02', '--until', '2026-03-01'], '--since 2026-03-02 is after --until 2026-03-01'],
  ])('jobs run %j → exit 2', async (args, message) => {
    const db = initializedDb();
    const r = await runCliAsync(['jobs', 'run', ...args], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    // Refused before any work: no run was recorded.
    expect(JSON.parse((await runCliAsync(['jobs', 'history', '--json'], { db })).stdout)).toEqual([]);
  });

  it('jobs run reconcile --since/--until checks that range and exits 0 when nothing is off', async () => {
    const r = await runCliAsync(
      ['jobs', 'run', 'reconcile', '--since', '2026-02-01', '--until', '2026-02-03', '--json'],
      { db: initializedDb() },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ job: 'reconcile', status: 'ok', trigger: 'manual' });
    expect(JSON.parse(r.stdout).summary).toContain('2026-02-01..2026-02-03: 0 compared, 0 beyond tolerance');
  });

  it('jobs list shows the configured schedule and the next run in the reporting zone', async () => {
    const config = configFile({
      tz: 'Asia/Shanghai',
      jobs: { 'daily-digest': { schedule: '30 7 * * *' }, 'anomaly-scan': { enabled: false } },
    });
    const r = await runCliAsync(['--config', config, 'jobs', 'list', '--json'], {
      db: initializedDb(),
      env: { COSTCTL_NOW: '2026-03-02T09:00:00Z' },
    });
    expect(r.code, r.stderr).toBe(0);
    const jobs = Object.fromEntries(JSON.parse(r.stdout).map((j: any) => [j.name, j]));
    // 09:00Z is 17:00 in Shanghai: the next 07:30 Shanghai is 2026-03-03 07:30+08 = 2026-03-02T23:30Z.
    expect(jobs['daily-digest']).toMatchObject({
      schedule: '30 7 * * *',
      next_run: '2026-03-02T23:30:00.000Z',
      last_run: null,
    });
    // reconcile at 02:00 Shanghai = 18:00Z the same day
    expect(jobs.reconcile.next_run).toBe('2026-03-02T18:00:00.000Z');
    expect(jobs['anomaly-scan']).toMatchObject({ enabled: false, next_run: null });
  });

  it('jobs crontab prints one line per job with CRON_TZ', async () => {
    const r = await runCliAsync(['jobs', 'crontab'], { db: tempDbPath(), env: { COSTCTL_TZ: 'Europe/Berlin' } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toBe('CRON_TZ=Europe/Berlin');
    expect(lines.slice(2).map((l) => l.split(' jobs run ')[1]!.split(' ')[0])).toEqual([
      'threshold-check',
      'anomaly-scan',
      'reconcile',
      'optimization-report',
      'daily-digest',
    ]);
    expect(lines[2]).toMatch(/^\*\/5 \* \* \* \* /);
  });
});
