// The interactive `quotas add` flow asks only for what the flags left out. A terminal cannot run here,
// so @clack/prompts (the terminal) is the one thing replaced; the flow's own logic is real.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const asked: string[] = [];
let answers: Record<string, unknown> = {};
const CANCEL = Symbol('cancel');

vi.mock('@clack/prompts', () => ({
  intro: () => undefined,
  outro: () => undefined,
  cancel: () => undefined,
  isCancel: (v: unknown) => v === CANCEL,
  text: async ({ message }: { message: string }) => {
    asked.push(message);
    return answers[message];
  },
  select: async ({ message }: { message: string }) => {
    asked.push(message);
    return answers[message];
  },
}));

const { askQuota } = await import('../../src/prompts/quota-add.js');

beforeEach(() => {
  asked.length = 0;
  answers = {};
});

describe('askQuota', () => {
  it('asks only for the missing values', async () => {
    answers = { Period: 'weekly', 'Limit (USD for cost quotas)': '250' };
    const a = await askQuota({ name: 'ops', scope: 'department:ops' });
    expect(asked).toEqual(['Period', 'Limit (USD for cost quotas)']);
    expect(a).toEqual({ name: 'ops', scope: 'department:ops', period: 'weekly', limit: '250' });
  });

  it('asks nothing when every value is given', async () => {
    await askQuota({ name: 'a', scope: 'global', period: 'daily', limit: '1' });
    expect(asked).toEqual([]);
  });

  it('cancelling is a usage error that names the flags to give instead', async () => {
    answers = { Name: CANCEL };
    await expect(askQuota({})).rejects.toThrow(/give NAME, --scope, --period and --limit as flags/);
  });
});
