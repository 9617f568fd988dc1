import type { Adapter } from './types.js';
export const claudeCodeAdapter: Adapter = { format: 'claude-code', kind: 'usage', description: 'todo', detect: () => false, stage: async () => { throw new Error('todo'); } };
