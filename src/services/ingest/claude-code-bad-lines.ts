// Claude Code lines the batch reader cannot take: a line that is not UTF-8, or longer than the reader's
// limit, would fail the whole batch's read. The scan hands over each line's bytes, so such lines are set
// aside before the read, and each becomes a reject with its own line number in its own file; the rest
// loads (as for any JSON Lines file: stage-file.ts).
import type { Db } from '../../db/database.js';
import { type BatchInput, stageClaudeCodeBatch } from '../../ingest/claude-code-batch.js';
import { type BadLine, badLineReason, rejectedLineText } from '../../ingest/line-check.js';
import { addStagedRejects } from './stage-file.js';

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
    await addStagedRejects(
      db,
      bad.map((b) => ({ ...b.line, file: b.input })),
    );
    for (const b of bad) staged.rowsRead.set(b.input, (staged.rowsRead.get(b.input) ?? 0) + 1);
  }
  return staged;
}
