#!/usr/bin/env node
// `npm run docs`: regenerate the README command reference from the built CLI (run `npm run build` first).
import { readFileSync, writeFileSync } from 'node:fs';
import { buildProgram } from '../dist/src/cli/program.js';
import { commandReference, replaceReference } from '../dist/src/cli/reference.js';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, replaceReference(readFileSync(readme, 'utf8'), commandReference(await buildProgram())));
console.log('README.md command reference updated');
