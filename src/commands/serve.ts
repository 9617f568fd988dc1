// `costctl serve`: one long-running process that owns the database, answers gateways (check, record,
// estimate) and screens (dashboard, records, quotas, alerts, a live stream) over a local JSON API, runs
// the scheduled jobs, and runs the CLI's commands while it holds the file. `serve status` asks it.
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { commandContext, handler } from '../cli/handler.js';
import { addJsonFlag } from '../cli/options.js';
import { DataError, UsageError } from '../errors.js';
import { renderJson } from '../render/json.js';
import { registerServeToken } from './serve-token.js';

interface ServeOptions {
  listen: string;
  tokenFile?: string;
  jobs: boolean;
  holdSeconds: number;
}

/** `127.0.0.1:8787`, `[::1]:8787`, `localhost:0` (0: any free port). */
export function listenAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535)
    throw new InvalidArgumentError(`"${text}" must be HOST:PORT such as 127.0.0.1:8787 (port 0 picks a free one)`);
  return { host: (m[1] ?? m[2])!, port };
}

function seconds(text: string): number {
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1)
    throw new InvalidArgumentError(`"${text}" must be 1 to 9999 seconds`);
  return Number(text);
}

export function registerServe(program: Command): void {
  const serve = program
    .command('serve')
    .description('own the database: a local JSON API for gateways and screens, the scheduled jobs, and the CLI')
    .option('--listen <host:port>', 'where to listen (loopback unless a --token-file is given)', '127.0.0.1:8787')
    .option('--token-file <file>', 'the bearer token (default: DB.serve-token, made on first start, mode 0600)')
    .option('--no-jobs', 'do not run the scheduled jobs here')
    .option('--hold-seconds <s>', 'how long an allowed check holds its worst case without a record', seconds, 30)
    .action(
      handler(
        async (ctx, opts: ServeOptions) => {
          let listen: { host: string; port: number };
          try {
            listen = listenAddress(opts.listen);
          } catch (e) {
            throw new UsageError(`--listen: ${(e as Error).message}`);
          }
          const dbPath = resolve(ctx.config.db);
          const { adminToken, processAlive, readServerFile } = await import('../services/serve/server-file.js');
          const running = readServerFile(dbPath);
          if (running && running.pid !== process.pid && processAlive(running.pid))
            throw new UsageError(`costctl serve (pid ${running.pid}) already serves ${dbPath} at ${running.url}`);
          const tokenPath = resolve(opts.tokenFile ?? `${dbPath}.serve-token`);
          let token: { token: string; created: boolean };
          try {
            token = adminToken(tokenPath);
          } catch (e) {
            throw new DataError(`--token-file: ${(e as Error).message}`);
          }
          const { startServer } = await import('../services/serve/server.js');
          const { runInProcess } = await import('../cli/in-process.js');
          const { lendDbOf } = await import('../services/serve/state.js');
          let lendDb: ReturnType<typeof lendDbOf> | undefined;
          let holds: import('../services/serve/holds.js').HoldLedger | undefined;
          let check: import('../services/serve/check-hold.js').ServerCheck | undefined;
          const server = await startServer({
            dbPath,
            host: listen.host,
            port: listen.port,
            token: token.token,
            tokenGiven: opts.tokenFile !== undefined,
            tz: ctx.config.tz,
            now: ctx.now,
            lockTimeoutMs: ctx.config.lockTimeoutMs,
            accepted: ctx.config.acceptedInstants,
            holdMs: opts.holdSeconds * 1000,
            runCli: (argv, env, cwd) => runInProcess(argv, { env, cwd, lendDb: lendDb!, holds, check }),
          });
          lendDb = lendDbOf(server.state);
          holds = server.state.holds;
          const { checkAndHold } = await import('../services/serve/checks.js');
          check = (req, requestId) => checkAndHold(server.state, req, requestId);
          // The jobs run here too, on the server's connection, each in its turn.
          const jobsCtx = commandContext({
            flags: { db: dbPath, tz: ctx.config.tz },
            env: ctx.env,
            invocation: { command: 'serve jobs', args: [] },
            lendDb,
          });
          const scheduler = opts.jobs
            ? await (await import('../../jobs/scheduler.js')).startScheduler(jobsCtx)
            : undefined;
          ctx.out(`listening ${server.url}`);
          ctx.err(
            `costctl serve: ${server.url}, pid ${process.pid}, database ${dbPath}; token ${tokenPath}${token.created ? ' (new)' : ''}; ` +
              `jobs ${
                scheduler
                  ? scheduler.plans
                      .filter((p) => p.enabled)
                      .map((p) => p.job.name)
                      .join(', ') || 'none enabled'
                  : 'off'
              }`,
          );
          const signal = await new Promise<string>((done) => {
            process.once('SIGINT', () => done('SIGINT'));
            process.once('SIGTERM', () => done('SIGTERM'));
          });
          ctx.err(`costctl serve: ${signal}, finishing accepted work`);
          await scheduler?.stop();
          await server.stop();
          ctx.err('costctl serve: stopped; database released');
        },
        { local: true },
      ),
    );

  registerServeToken(serve);

  addJsonFlag(serve.command('status').description('is a server running for this database? where, since when')).action(
    handler(
      async (ctx, opts: { json?: boolean }) => {
        const dbPath = resolve(ctx.config.db);
        const { processAlive, readServerFile } = await import('../services/serve/server-file.js');
        const file = readServerFile(dbPath);
        if (!file || !processAlive(file.pid)) {
          if (opts.json) ctx.out(renderJson({ running: false, db: dbPath }));
          else ctx.out(`no server for ${dbPath}: commands open the file themselves`);
          throw new (await import('../errors.js')).SilentExit(1);
        }
        const res = await fetch(`${file.url}/api/v1/status`, {
          headers: { authorization: `Bearer ${file.token}` },
        }).catch(() => undefined);
        const status = res?.ok ? ((await res.json()) as { queued: number; holds: number }) : undefined;
        if (opts.json)
          ctx.out(renderJson({ running: true, answering: Boolean(status), ...file, token: undefined, ...status }));
        else
          ctx.out(
            `serving ${file.db} at ${file.url}, pid ${file.pid}, since ${file.started_at}` +
              (status ? `; ${status.queued} queued, ${status.holds} check(s) holding` : '; NOT answering'),
          );
      },
      { local: true },
    ),
  );
}
