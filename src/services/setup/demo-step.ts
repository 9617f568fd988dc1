// One step of `costctl demo`: it adds something to the fresh demo database and says what, in one line.
import type { Db } from '../../db/database.js';

export interface DemoStepContext {
  db: Db;
  now: Date;
  /** fixtures/demo of the installed package. */
  fixtures: string;
  /** A line for the person running the demo (stderr). */
  note: (text: string) => void;
}

export interface DemoStep {
  name: string;
  /** Returns a one-line outcome for the summary. */
  run: (ctx: DemoStepContext) => Promise<string>;
}
