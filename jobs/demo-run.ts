// The demo's last step: run every scheduled job once against the demo database, exactly as
// `costctl jobs run` would, and say where the emails went. The demo never talks to a real SMTP
// server: its emails are .eml files in a folder next to the demo database.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createContext, type Context } from '../src/context.js';
import { type DemoStep, demoPeriod } from '../src/services/setup/demo.js';

export const DEMO_RECIPIENT = 'finops@acme.example';

export const jobsDemoStep: DemoStep = {
  name: 'jobs',
  run: async ({ db, now, note }) => {
    const { JOBS } = await import('./registry.js');
    const { runJob } = await import('./runner.js');
    const outbox = join(dirname(db.path), 'costctl-demo-outbox');
    if (existsSync(outbox)) for (const f of readdirSync(outbox)) if (/^\d{6}\.eml$/.test(f)) rmSync(join(outbox, f));
    const base = createContext({
      flags: { db: db.path },
      env: { ...process.env, COSTCTL_NOW: now.toISOString() },
      out: note,
      err: note,
    });
    const ctx: Context = {
      ...base,
      config: {
        ...base.config,
        outboxDir: outbox,
        smtp: { ...base.config.smtp, url: undefined, password: undefined },
        alertRecipients: base.config.alertRecipients.length ? base.config.alertRecipients : [DEMO_RECIPIENT],
      },
      env: { ...base.env, COSTCTL_SMTP_URL: undefined },
      // The demo holds the database open; every job step runs in that same session.
      withDb: (fn) => fn(db),
    };
    const period = await demoPeriod(db, ctx.config.tz);
    const lines: string[] = [];
    let sent = 0;
    for (const job of JOBS) {
      const r = await runJob(ctx, job, job.name === 'reconcile' && period ? period : {}, 'demo');
      sent += r.emails.sent.length;
      lines.push(`${job.name} ${r.status}`);
      note(`demo: ${r.job} ${r.status}: ${r.summary}`);
    }
    return `jobs: ${lines.join(', ')}; ${sent} email(s) written as .eml files to ${outbox}`;
  },
};
