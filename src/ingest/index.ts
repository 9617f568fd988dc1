// Every input format costctl reads, in detection order: the first adapter whose `detect` accepts a
// file's content wins. Specific shapes come first (Claude Code lines also have a timestamp and a model),
// the native usage log last, since it is the loosest match.
import { PROVIDER_ADAPTERS } from './billing/index.js';
import { claudeCodeAdapter } from './claude-code.js';
import { liteLlmAdapter } from './litellm.js';
import { openRouterAdapter } from './openrouter.js';
import type { Adapter, IngestFile } from './types.js';
import { nativeUsageAdapter } from './usage-native.js';

export function allAdapters(): Adapter[] {
  return [claudeCodeAdapter, liteLlmAdapter, openRouterAdapter, ...PROVIDER_ADAPTERS, nativeUsageAdapter];
}

/** `--format` choices, in detection order. */
export function formatNames(): string[] {
  return allAdapters().map((a) => a.format);
}

export function adapterFor(format: string): Adapter | undefined {
  return allAdapters().find((a) => a.format === format);
}

export function detectAdapter(file: IngestFile): Adapter | undefined {
  return allAdapters().find((a) => {
    try {
      return a.detect(file);
    } catch {
      return false;
    }
  });
}
