// Typed errors: every expected failure carries its exit code; src/cli/main.ts is the one place that exits.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  denied: 3,
  busy: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CostctlError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failure,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad flag, argument or config value: exit 2. Message names the place and what is allowed. */
export class UsageError extends CostctlError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** Bad data, a missing thing, an I/O problem: exit 1. */
export class DataError extends CostctlError {
  constructor(message: string) {
    super(message, ExitCode.failure);
  }
}

/** A refusal or tripped threshold (check denied, --fail-on): exit 3. */
export class DeniedError extends CostctlError {
  constructor(message: string) {
    super(message, ExitCode.denied);
  }
}

/** The database file stayed locked by another process past the retry budget: exit 4. */
export class BusyError extends CostctlError {
  constructor(message: string) {
    super(message, ExitCode.busy);
  }
}

/**
 * Lets a command finish its output and still exit non-zero (e.g. `quotas status --fail-on`),
 * without printing an extra error line.
 */
export class SilentExit extends CostctlError {
  constructor(exitCode: ExitCode, message = '') {
    super(message, exitCode);
  }
}
