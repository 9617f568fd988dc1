// Adapters for provider and gateway billing exports (FOCUS, OpenAI, Anthropic). Some produce billing
// lines, some usage rows (usage reports); the ingest registry (src/ingest/index.ts) lists them all.
import type { Adapter } from '../types.js';

export const PROVIDER_ADAPTERS: Adapter[] = [];
