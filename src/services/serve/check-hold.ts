// What a server's check answers, in one shape for `POST check` and for a `costctl check` sent to the
// server: the check as `costctl check --json` writes it, with what it holds and until when. The check
// itself, from memory and held in one step, is checks.ts.
import type { CheckResult } from '../limits/check.js';
import { checkJson } from '../limits/check-json.js';
import type { CheckInput, HeldCheck } from './checks.js';

/** The check's answer with what it holds (the API's `POST check` body and `costctl check --json` on a server). */
export type HeldAnswer = ReturnType<typeof checkJson> & {
  request_id: string;
  held: { limit: string; amount: CheckResult['holds'][number]['amount'] }[];
  held_until: Date | null;
};

/** A running server's check-and-hold, as the CLI's `check` is lent it (commands/serve.ts binds it). */
export type ServerCheck = (req: CheckInput, requestId: string) => Promise<HeldCheck>;

export function heldAnswer({ result: r, heldUntil }: HeldCheck, requestId: string): HeldAnswer {
  return {
    ...checkJson(r),
    request_id: requestId,
    held: heldUntil ? r.holds.map((h) => ({ limit: h.limit, amount: h.amount })) : [],
    held_until: heldUntil,
  };
}
