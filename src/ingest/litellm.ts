import type { Adapter } from './types.js';
export const liteLlmAdapter: Adapter = { format: 'litellm', kind: 'usage', description: 'todo', detect: () => false, stage: async () => { throw new Error('todo'); } };
