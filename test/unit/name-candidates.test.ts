// The order in which a caller's model name is tried against the catalog: as written (each provider
// prefix removed in turn), and only then with dotted version numbers dashed.
import { describe, expect, it } from 'vitest';
import { nameCandidates } from '../../src/domain/model-names.js';

describe('nameCandidates', () => {
  it.each([
    ['gpt-4o', ['gpt-4o']],
    [' gpt-4o ', ['gpt-4o']],
    [
      'openrouter/anthropic/claude-sonnet-4.5',
      [
        'openrouter/anthropic/claude-sonnet-4.5',
        'anthropic/claude-sonnet-4.5',
        'claude-sonnet-4.5',
        'openrouter/anthropic/claude-sonnet-4-5',
        'anthropic/claude-sonnet-4-5',
        'claude-sonnet-4-5',
      ],
    ],
    ['claude-3.5.1', ['claude-3.5.1', 'claude-3-5-1']],
    // Only a dot between two digits is a version dot.
    ['v1.x/model.a', ['v1.x/model.a', 'model.a']],
  ])('%j → %j', (name, expected) => {
    expect(nameCandidates(name)).toEqual(expected);
  });
});
