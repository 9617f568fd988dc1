// Adapters for provider and gateway billing exports (FOCUS, OpenAI, Anthropic). Some produce billing
// lines, some usage rows (usage reports); the ingest registry (src/ingest/index.ts) lists them all.
// Each detect() tests for format-specific keys or headers, so the order among these does not matter.
import type { Adapter } from '../types.js';
import { anthropicCostAdapter, anthropicUsageAdapter } from './anthropic.js';
import { focusAdapter } from './focus.js';
import { openaiCostsAdapter, openaiUsageAdapter } from './openai.js';

export const PROVIDER_ADAPTERS: Adapter[] = [
  focusAdapter,
  openaiCostsAdapter,
  openaiUsageAdapter,
  anthropicCostAdapter,
  anthropicUsageAdapter,
];
