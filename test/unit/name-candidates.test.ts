// The order in which a caller's model name is tried against the catalog: as written (each provider
// prefix removed in turn), and only then with dotted version numbers dashed.
import { describe, expect, it } from 'vitest';
import { matchModelName, nameCandidates } from '../../src/domain/model-names.js';

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

describe('matchModelName', () => {
  // Names and providers as the bundled LiteLLM map has them.
  const catalog: [string, string][] = [
    ['gpt-4o-mini', 'openai'],
    ['azure/gpt-4o-mini', 'azure'],
    ['mistral/mistral-medium-latest', 'mistral'],
    ['groq/llama-3.3-70b-versatile', 'groq'],
    ['fireworks_ai/llama-x', 'fireworks_ai'],
    ['deepinfra/llama-x', 'deepinfra'],
    ['fast/claude-opus-4-7', 'anthropic'],
    ['claude-sonnet-4-5', 'anthropic'],
  ];
  const index = {
    names: new Set(catalog.map(([n]) => n)),
    aliases: new Map([['Sonnet', 'claude-sonnet-4-5']]),
    providers: new Map(catalog),
  };
  it.each([
    ['GPT-4o-mini', 'gpt-4o-mini'],
    ['openai/GPT-4O-MINI', 'gpt-4o-mini'],
    ['mistral-medium-latest', 'mistral/mistral-medium-latest'],
    ['Llama-3.3-70B-Versatile', 'groq/llama-3.3-70b-versatile'],
    ['openrouter/mistral-medium-latest', 'mistral/mistral-medium-latest'],
    ['sonnet', 'claude-sonnet-4-5'],
    // two providers have it: no guess
    ['llama-x', undefined],
    // a `fast/` key is a variant of a model, never what a bare name means
    ['claude-opus-4-7', undefined],
    ['nothing-like-it', undefined],
  ])('%j → %j', (name, expected) => {
    expect(matchModelName(index, name)).toBe(expected);
  });
});
