import type { Adapter } from './types.js';
export const openRouterAdapter: Adapter = { format: 'openrouter', kind: 'usage', description: 'todo', detect: () => false, stage: async () => { throw new Error('todo'); } };
