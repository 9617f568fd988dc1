// `GET /records/export`: the bytes `costctl records export --out FILE` writes (the same service, to a
// private temp file), streamed and then removed. A masked viewer always gets the pseudonyms
// `records export --mask` writes; others ask with ?mask=true.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { EXPORT_FORMATS, type ExportFormat } from '../../db/export.js';
import { exportRecords } from '../usage/records.js';
import { apiRead } from './api-write.js';
import { instantOf } from './request-input.js';
import { filtersOf, recordsQuery } from './routes-read.js';
import type { ServeState } from './state.js';
import type { Caller } from './tokens.js';

const { limit: _limit, ...filterProperties } = recordsQuery.properties;

const exportQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...filterProperties,
    format: { type: 'string', enum: [...EXPORT_FORMATS], description: 'csv (default), json or parquet' },
    mask: { type: 'string', enum: ['true', 'false'], description: 'user and account ids as stable pseudonyms' },
  },
} as const;

const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
};

export const exportRoutes =
  (s: ServeState): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/records/export',
      {
        schema: {
          querystring: exportQuery,
          summary: 'the usage rows as `costctl records export` writes them (csv, json, parquet), streamed',
        },
      },
      async (req, reply) => {
        const q = req.query as Record<string, string | undefined>;
        const caller = (req as { caller?: Caller }).caller;
        const format = (q.format ?? 'csv') as ExportFormat;
        const mask = q.mask === 'true' || (caller?.role === 'viewer' && !caller.unmasked);
        const filter = {
          since: q.since === undefined ? undefined : instantOf(q.since, 'since', s.now()),
          until: q.until === undefined ? undefined : instantOf(q.until, 'until', s.now()),
          filters: filtersOf(q),
        };
        const folder = mkdtempSync(join(tmpdir(), 'costctl-serve-export-'));
        const file = join(folder, `records.${format}`);
        try {
          const rows = await apiRead(s, (db) => exportRecords(db, filter, { out: file, format, mask }));
          const stream = createReadStream(file);
          // The file goes once the answer is sent (or the caller went away).
          stream.on('close', () => rmSync(folder, { recursive: true, force: true }));
          reply.header('content-type', CONTENT_TYPE[format]).header('x-costctl-rows', String(rows));
          reply.header('content-disposition', `attachment; filename="records.${format}"`);
          return reply.send(stream);
        } catch (e) {
          rmSync(folder, { recursive: true, force: true });
          throw e;
        }
      },
    );
  };
