/** Failures of the ledger, each naming the repository, ref or file it concerns. */
import type { z } from 'zod';

/** Zod issues as `field.path: message` (root-level issues as `(root): message`). */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`);
}

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
    readonly action: 'write' | 'read' | 'push',
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
