// The architecture rules the compiler cannot see (docs/DEVELOPING.md, "Layout and rules"):
//  1. imports point down: a module imports only from its own floor or a lower one;
//  2. no import cycles (type-only imports included: a cycle of types is still a knot to untie);
//  3. no SQL outside the floors that own it (services/, db/, ingest/, notify/);
//  4. no source or test file over 300 lines.
// Exits 1 with one line per finding (file:line: rule: what), 0 with a one-line summary.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_LINES = 300;

// Floors, highest first. A file may import from its floor or any floor below it.
const FLOORS = [
  // The program and the exit point import every command; the rest of cli/ is the commands' toolkit.
  { floor: 6, match: (p) => ['src/cli/program.ts', 'src/cli/main.ts', 'src/cli/reference.ts'].includes(p) },
  { floor: 5, match: (p) => p.startsWith('src/commands/') || p.startsWith('src/cli/') },
  { floor: 4, match: (p) => p.startsWith('jobs/') || p.startsWith('src/prompts/') || p.startsWith('src/render/') },
  { floor: 3, match: (p) => p.startsWith('src/services/') },
  { floor: 2, match: (p) => p.startsWith('src/ingest/') || p.startsWith('src/notify/') },
  { floor: 1, match: (p) => p.startsWith('src/db/') || p.startsWith('src/config/') || p === 'src/context.ts' },
  { floor: 0, match: (p) => p.startsWith('src/domain/') || p === 'src/errors.ts' },
];
const NAMES = [
  'domain/errors',
  'db/config/context',
  'ingest/notify',
  'services',
  'jobs/prompts/render',
  'commands/cli toolkit',
  'cli program',
];
// Where SQL may be written. Everything else asks a service.
const SQL_HOMES = ['src/services/', 'src/db/', 'src/ingest/', 'src/notify/'];
// Statements as they open in a template or string literal; keywords alone (a help text saying "select") do not count.
const SQL =
  /['"`]\s*(SELECT\s+[\w*(]|INSERT\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|CREATE\s+(TEMP\s+|OR\s+REPLACE\s+)?(TABLE|VIEW|INDEX)\b|ALTER\s+TABLE\b|DROP\s+TABLE\b|COPY\s*\(|SET\s+\w+\s*=|PRAGMA\b|WITH\s+\w+\s+AS\s*\()/i;

function floorOf(path) {
  return FLOORS.find((f) => f.match(path))?.floor;
}

function walk(dir, out = []) {
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function importsOf(file, text) {
  const found = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const line = text.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0);
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts');
    found.push({ target, line });
  }
  return found;
}

export function checkLayers(files = [...walk('src'), ...walk('jobs')], testFiles = walk('test')) {
  const problems = [];
  for (const file of testFiles) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1;
    if (lines > MAX_LINES) problems.push(`${file}:1: size: ${lines} lines (at most ${MAX_LINES}); split it by subject`);
  }
  const graph = new Map();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const lines = text.split('\n');
    if (lines.length > MAX_LINES + 1)
      problems.push(`${file}:1: size: ${lines.length - 1} lines (at most ${MAX_LINES}); split it by job`);
    const own = floorOf(file);
    const edges = [];
    for (const { target, line } of importsOf(file, text)) {
      edges.push(target);
      const theirs = floorOf(target);
      if (own !== undefined && theirs !== undefined && theirs > own)
        problems.push(`${file}:${line}: import points up: ${NAMES[own]} may not import ${target} (${NAMES[theirs]})`);
    }
    graph.set(file, edges);
    if (!SQL_HOMES.some((h) => file.startsWith(h))) {
      lines.forEach((l, i) => {
        if (SQL.test(l)) problems.push(`${file}:${i + 1}: SQL outside services/db: move the statement into a service`);
      });
    }
  }
  for (const cycle of findCycles(graph)) problems.push(`${cycle[0]}:1: import cycle: ${cycle.join(' -> ')}`);
  return { problems, files: files.length };
}

/** One representative cycle per strongly connected component (Tarjan). */
function findCycles(graph) {
  let index = 0;
  const stack = [];
  const meta = new Map();
  const cycles = [];
  const visit = (v) => {
    meta.set(v, { index, low: index, on: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!meta.has(w)) {
        visit(w);
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
      } else if (meta.get(w).on) meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
    }
    if (meta.get(v).low === meta.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        meta.get(w).on = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(pathWithin(graph, new Set(component), component.sort()[0]));
    }
  };
  for (const v of graph.keys()) if (!meta.has(v)) visit(v);
  return cycles;
}

/** A shortest way from start back to start inside one component, for a readable message. */
function pathWithin(graph, component, start) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = previous.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (component.has(w) && !previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...component];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { problems, files } = checkLayers();
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-layers: ${problems.length} problem(s) in ${files} files`);
    process.exit(1);
  }
  console.log(
    `check-layers: ${files} files, imports point down, no cycles, no SQL above services, none over ${MAX_LINES} lines`,
  );
}
