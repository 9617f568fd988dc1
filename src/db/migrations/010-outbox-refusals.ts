// Email delivery that says what happened to each recipient (#17): the recipients the SMTP server refused
// (address and reply, e.g. 550 at RCPT) while it took the message for the others. A message whose send
// timed out after it was handed over becomes status `unconfirmed` (a VARCHAR value, no schema change).
import type { Migration } from './types.js';

export const outboxRefusalsMigration: Migration = {
  version: 10,
  name: 'outbox-refusals',
  statements: ['ALTER TABLE outbox ADD COLUMN refused JSON'],
};
