export interface KillAtCommit {
  /** bin/costctl.js */
  bin: string;
  /** The database the ingest writes (its `.wal` beside it is watched). */
  db: string;
  /** The file or folder to ingest. */
  target: string;
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long after the commit starts the kill lands. */
  delayMs: number;
}

export function killAtCommit(options: KillAtCommit): Promise<NodeJS.Signals | number | null>;
