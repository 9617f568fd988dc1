// A Claude Code batch whose reader fails on a line that is not UTF-8 or is over the reader's limit: as
// for any JSON Lines file (stage-file.ts), each input is read again from a copy with such lines blanked,
// and each of them becomes a reject with its own line number in its own file; the rest loads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../db/database.js';
import { CostctlError, DataError } from '../../errors.js';
import { type BatchInput, stageClaudeCodeBatch } from '../../ingest/claude-code-batch.js';
import { type BadLine, copyWithoutBadLines } from '../../ingest/line-check.js';

const BATCH = 500;

/** stageClaudeCodeBatch, read again without unreadable lines when the first read fails on them. */
export async function stageClaudeCodeOrSetAside(
  db: Db,
  inputs: BatchInput[],
  source: string,
): Promise<{ rowsRead: Map<number, number> }> {
  try {
    return await stageClaudeCodeBatch(db, inputs, source);
  } catch (e) {
    if (e instanceof CostctlError) throw e;
    const dir = mkdtempSync(join(tmpdir(), 'costctl-cc-lines-'));
    try {
      const bad: { input: number; line: BadLine }[] = [];
      const copies = await Promise.all(
        inputs.map(async (input, i) => {
          const copy = join(dir, `${i}.jsonl`);
          for (const line of await copyWithoutBadLines(input.readPath, copy)) bad.push({ input: i, line });
          return { ...input, readPath: copy };
        }),
      );
      if (bad.length === 0) throw e; // not why it failed
      const staged = await stageClaudeCodeBatch(db, copies, source);
      await addRejects(db, inputs, bad);
      for (const b of bad) staged.rowsRead.set(b.input, (staged.rowsRead.get(b.input) ?? 0) + 1);
      return staged;
    } catch (again) {
      if (again === e || again instanceof CostctlError) throw again;
      throw new DataError(
        `Claude Code logs: cannot be read: ${((again as Error).message ?? String(again)).split('\n')[0]}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Makes `staged_rejects` a table (the batch leaves a view) and adds the set-aside lines to it. */
async function addRejects(db: Db, inputs: BatchInput[], bad: { input: number; line: BadLine }[]): Promise<void> {
  await db.run('CREATE OR REPLACE TEMP TABLE cc_read_rejects AS SELECT line, reason, raw, _file FROM staged_rejects');
  await db.run('DROP VIEW temp.staged_rejects');
  await db.run('ALTER TABLE cc_read_rejects RENAME TO staged_rejects');
  for (let i = 0; i < bad.length; i += BATCH) {
    const chunk = bad.slice(i, i + BATCH);
    await db.run(
      `INSERT INTO staged_rejects (line, reason, raw, _file) VALUES ${chunk.map(() => '(?::BIGINT, ?, ?, ?::BIGINT)').join(', ')}`,
      // A line of a spooled tail counts from the tail's first line in the whole file.
      chunk.flatMap((b) => [inputs[b.input]!.firstLine - 1 + b.line.line, b.line.reason, b.line.raw, b.input]),
    );
  }
}
