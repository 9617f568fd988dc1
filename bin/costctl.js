#!/usr/bin/env node
// A shim: the CLI lives in dist/, built by `npm install` (the prepare script): one bundle for a fast
// start, or the plain compiled modules when only `tsc` has run.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : new URL('../dist/src/cli/main.js', import.meta.url).href);
