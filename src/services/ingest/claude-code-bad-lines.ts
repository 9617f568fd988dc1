// Claude Code lines the batch reader cannot take: a line that is not UTF-8, or longer than the reader's
// limit, would fail the whole batch's read. The scan hands over each line's bytes, so such lines are set
// aside before the read, and each becomes a reject with its own line number in its own file; the rest
// loads (as for any JSON Lines file: stage-file.ts).
import type { Db } from '../../db/database.js';
import { type BatchInput, stageClaudeCodeBatch } from '../../ingest/claude-code-batch.js';
import { type BadLine, badLineReason, rejectedLineText } from '../../ingest/line-check.js';

const BATCH = 500;

/** stageClaudeCodeBatch without the unreadable lines, which are added to `staged_rejects`. */
export async function stageClaudeCodeOrSetAside(
  db: Db,
  inputs: BatchInput[],
  source: string,
): Promise<{ rowsRead: Map<number, number> }> {
  const bad: { input: number; line: BadLine }[] = [];
  const readable = inputs.map((input, i) => ({
    ...input,
    lines: input.lines.filter((l) => {
      const reason = badLineReason(l.text, l.text.length);
      if (reason) bad.push({ input: i, line: { line: l.line, reason, raw: rejectedLineText(l.text) } });
      return reason === undefined;
    }),
  }));
  const staged = await stageClaudeCodeBatch(db, readable, source);
  if (bad.length > 0) {
    await addRejects(db, bad);
    for (const b of bad) staged.rowsRead.set(b.input, (staged.rowsRead.get(b.input) ?? 0) + 1);
  }
  return staged;
}

/** Makes `staged_rejects` a table (the batch leaves a view) and adds the set-aside lines to it. */
async function addRejects(db: Db, bad: { input: number; line: BadLine }[]): Promise<void> {
  await db.run('CREATE OR REPLACE TEMP TABLE cc_read_rejects AS SELECT line, reason, raw, _file FROM staged_rejects');
  await db.run('DROP VIEW temp.staged_rejects');
  await db.run('ALTER TABLE cc_read_rejects RENAME TO staged_rejects');
  for (let i = 0; i < bad.length; i += BATCH) {
    const chunk = bad.slice(i, i + BATCH);
    await db.run(
      `INSERT INTO staged_rejects (line, reason, raw, _file) VALUES ${chunk.map(() => '(?::BIGINT, ?, ?, ?::BIGINT)').join(', ')}`,
      chunk.flatMap((b) => [b.line.line, b.line.reason, b.line.raw, b.input]),
    );
  }
}
