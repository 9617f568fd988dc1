// A Claude Code projects folder for benchmarks: the real transcripts of fixtures/samples/claude-code/spotter
// replicated `copies` times, each copy with fresh ids (session, line, message and request ids) and its
// days shifted by the copy number, laid out as Claude Code writes it: <dir>/projects/<project>/<session>.jsonl
// and <session>/subagents/agent-*.jsonl. 20 copies are ~127 MB (the size in #20).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SAMPLE = fileURLToPath(new URL('../../fixtures/samples/claude-code/spotter/', import.meta.url));
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const IDS = /\b(msg|req|toolu)_([A-Za-z0-9]+)/g;
const DAY = /"timestamp":"(\d{4}-\d{2}-\d{2})T/g;

function sampleFiles(dir = SAMPLE, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) sampleFiles(full, out);
    else if (name.endsWith('.jsonl')) out.push(full);
  }
  return out;
}

/** One copy's text: ids made unique to the copy (same length, same shape) and days moved `copy` later. */
export function copyText(text, copy) {
  const tag = copy.toString(16).padStart(4, '0');
  return text
    .replace(UUID, (u) => `${u.slice(0, 24)}${tag}${u.slice(28)}`)
    .replace(IDS, (_, kind, id) => `${kind}_${id}x${tag}`)
    .replace(DAY, (_, day) => {
      const d = new Date(`${day}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + copy);
      return `"timestamp":"${d.toISOString().slice(0, 10)}T`;
    });
}

/**
 * Writes copies first..first+count-1 under dir/projects (one project folder per copy); `only` keeps the
 * sample files whose path starts with it (one session: its transcript and its sub-agents). Returns the paths.
 */
export function writeClaudeCorpus({ dir, first = 0, count, only = '' }) {
  const files = sampleFiles()
    .map((f) => ({ rel: relative(SAMPLE, f), text: readFileSync(f, 'utf8') }))
    .filter((f) => f.rel.startsWith(only));
  const written = [];
  for (let copy = first; copy < first + count; copy++) {
    for (const { rel, text } of files) {
      const path = join(dir, 'projects', `-home-USER-spotter-${copy}`, copyText(rel, copy));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, copyText(text, copy));
      written.push(path);
    }
  }
  return written;
}
