#!/usr/bin/env node
// A shim: the CLI lives in the compiled dist/ (built by `npm install` via the prepare script).
import '../dist/src/cli/main.js';
