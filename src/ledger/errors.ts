/** Failures of the ledger, each naming the repository, ref or file it concerns. */
import { GitError } from './git.js';

/** A summary that does not match `tokenledger.session/1`; nothing is written when one is found. */
export class InvalidSummaryError extends Error {
  constructor(
    /** The summary's id, or its position in the batch when it has no usable id. */
    readonly summary: string,
    readonly issues: string[],
  ) {
    super(`summary ${summary} is not a valid tokenledger.session/1: ${issues.join('; ')}`);
    this.name = 'InvalidSummaryError';
  }
}

/** A git operation on the data branch failed; `cause` holds the GitError or file-system error. */
export class LedgerError extends Error {
  constructor(
    readonly action: 'write' | 'read',
    readonly repoDir: string,
    readonly ref: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot ${action} ${ref} in ${repoDir}: ${detail}`, options);
    this.name = 'LedgerError';
  }
}

/** Wraps any failure as a LedgerError (kept as `cause`); a LedgerError or InvalidSummaryError passes through. */
export function asLedgerError(error: unknown, action: LedgerError['action'], repoDir: string, ref: string): Error {
  if (error instanceof LedgerError || error instanceof InvalidSummaryError) return error;
  return new LedgerError(action, repoDir, ref, error instanceof Error ? error.message : String(error), { cause: error });
}

/**
 * The useful part of a failure: for git, its `fatal:`/`error:` lines (the advice around them,
 * such as "remove the file manually", is left out), else its last lines of stderr.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof GitError)) return error instanceof Error ? error.message : String(error);
  const lines = error.stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('hint:'));
  const errors = lines.filter((line) => /^(fatal|error):/.test(line));
  const chosen = errors.length > 0 ? errors : lines.slice(-3);
  return chosen.length > 0 ? chosen.join(' | ') : error.message;
}
