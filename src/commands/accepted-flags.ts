// `--accepted-from` / `--accepted-to` on the commands that store rows (`ingest`, `record`): the days a row's
// timestamp may fall on, over the configured range (accepted_from / accepted_to, else 1970–2099).
import type { Command } from 'commander';
import type { ResolvedConfig } from '../config/config.js';
import { acceptedRange, type InstantRange } from '../domain/ingest-bounds.js';
import { UsageError } from '../errors.js';

export interface AcceptedFlags {
  acceptedFrom?: string;
  acceptedTo?: string;
}

export function addAcceptedFlags(cmd: Command): Command {
  return cmd
    .option(
      '--accepted-from <date>',
      'first day (UTC) a row may be dated; earlier rows are rejected (default: accepted_from, else 1970-01-01)',
    )
    .option(
      '--accepted-to <date>',
      'last day (UTC) a row may be dated; later rows are rejected (default: accepted_to, else 2099-12-31)',
    );
}

/** The range in force: the flags over the configuration; a bad date or an empty range is a usage error. */
export function acceptedInstantsOf(config: ResolvedConfig, flags: AcceptedFlags): InstantRange {
  if (flags.acceptedFrom === undefined && flags.acceptedTo === undefined) return config.acceptedInstants;
  const range = acceptedRange(flags.acceptedFrom ?? config.accepted.from, flags.acceptedTo ?? config.accepted.to, {
    first: flags.acceptedFrom !== undefined ? '--accepted-from' : 'accepted_from',
    last: flags.acceptedTo !== undefined ? '--accepted-to' : 'accepted_to',
  });
  if (typeof range === 'string') throw new UsageError(range);
  return range;
}
