// The server's own questions (status) and the CLI's door: a costctl command on this database, sent here
// while the server owns the file, runs in this process and answers with its output and exit code.
import type { FastifyPluginAsync } from 'fastify';
import { cliBody } from './schemas.js';
import { RequestError } from './http-errors.js';
import type { ServeState } from './state.js';

export const opsRoutes =
  (s: ServeState): FastifyPluginAsync =>
  async (app) => {
    app.get('/status', { schema: { summary: 'the server: pid, database, queued work, holds' } }, async () => ({
      pid: process.pid,
      db: s.db.path,
      started_at: s.startedAt,
      queued: s.turns.pending,
      holds: s.holds.requests,
    }));

    app.post('/cli', { schema: { body: cliBody, hide: true } }, async (req) => {
      if (!s.runCli) throw new RequestError(404, 'not_found', 'this server does not run CLI commands');
      const b = req.body as { argv: string[]; env: Record<string, string>; cwd: string };
      return s.runCli(b.argv, b.env, b.cwd);
    });
  };
