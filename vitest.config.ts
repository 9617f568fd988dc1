import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/helpers/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    env: { TZ: 'UTC', NO_COLOR: '1' },
    // A safety net, not a measure: with three files at once on two cores a property test over 1,200 rows
    // took 25 s on a quiet machine and passed 60 s when the machine was busy.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // vitest's default is one worker per core less one: a single worker on a 2-core CI machine, while
    // most end-to-end files spend their time waiting on the processes and servers they start.
    maxWorkers: 3,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
