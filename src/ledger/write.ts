/**
 * Committing session summaries to the data branch with plumbing only: the working tree, the
 * developer's index, HEAD and every other ref stay byte-identical (DESIGN.md §5). Concurrent
 * writers are safe: the ref moves by compare-and-swap and a lost swap is rebuilt on the new tip.
 */
import { jitter, sleep } from './backoff.js';
import { assertFullRef, commitTree, readTip, swapRef } from './commits.js';
import { describeZodIssues } from '../errors.js';
import { asLedgerError, InvalidSummaryError, LedgerError } from './errors.js';
import { DATA_REF, summaryPath } from './paths.js';
import { createPlumbing } from './plumbing.js';
import { buildTree, hashBlobs, withScratch } from './tree.js';
import { sessionSummarySchema, type SessionSummary } from '../summary/schema.js';

/** Eight hooks racing settle within a few rounds; twenty leaves room for a slow disk. */
const MAX_SWAP_ATTEMPTS = 20;
/** Upper bound of the random pause after a lost swap, times the attempt number. */
const SWAP_JITTER_MS = 15;

export interface WriteOptions {
  /** Full ref name; default `refs/heads/token-data`. */
  ref?: string;
  /** Commit message; default `tokenledger: record <id>` or `tokenledger: record <n> sessions`. */
  message?: string;
  /** Bound for the whole write, in milliseconds; default none. */
  timeoutMs?: number;
}

export interface WriteResult {
  /** Tip of the ref afterwards: the new commit, or the old tip when nothing changed; null only if the ref still does not exist. */
  commit: string | null;
  /** Paths written, one per session, in input order. */
  written: string[];
  /** False when the branch already held exactly these files, so no commit was made. */
  changed: boolean;
}

/** A file for the data branch: path from the top of the branch and its exact content. */
export interface LedgerFile {
  path: string;
  content: string;
}

/**
 * Validates every summary against the strict schema (nothing is written if one fails) and commits
 * one file per session at `sessions/YYYY/MM/DD/<id>.json`, replacing any earlier file of that id.
 */
export async function writeSummaries(repoDir: string, summaries: readonly SessionSummary[], options: WriteOptions = {}): Promise<WriteResult> {
  const files = summaryFiles(summaries);
  return writeLedgerFiles(repoDir, files, { ...options, message: options.message ?? defaultMessage(summaries) });
}

/** Checks each summary and serializes it; a later summary with the same id replaces an earlier one. */
export function summaryFiles(summaries: readonly SessionSummary[]): LedgerFile[] {
  const byId = new Map<string, LedgerFile>();
  summaries.forEach((summary, index) => {
    const parsed = sessionSummarySchema.safeParse(summary);
    if (!parsed.success) throw new InvalidSummaryError(typeof summary?.id === 'string' ? summary.id : `#${index}`, describeZodIssues(parsed.error.issues));
    byId.delete(parsed.data.id); // keep input order of the survivor
    byId.set(parsed.data.id, { path: summaryPath(parsed.data), content: JSON.stringify(parsed.data, null, 2) + '\n' });
  });
  return [...byId.values()];
}

function defaultMessage(summaries: readonly SessionSummary[]): string {
  return summaries.length === 1 ? `tokenledger: record ${summaries[0]!.id}` : `tokenledger: record ${summaries.length} sessions`;
}

/**
 * Commits `files` onto `ref` as one commit. Unvalidated: `writeSummaries` is the way in for
 * summaries; this is the layer beneath it (and lets tests plant damaged files).
 */
export async function writeLedgerFiles(repoDir: string, files: readonly LedgerFile[], options: WriteOptions = {}): Promise<WriteResult> {
  const ref = options.ref ?? DATA_REF;
  assertFullRef(ref);
  const message = options.message ?? `tokenledger: write ${files.length} files`;
  const plumbing = createPlumbing(repoDir, options);
  const written = [...new Set(files.map((file) => file.path))];
  try {
    if (files.length === 0) return { commit: (await readTip(plumbing, ref))?.commit ?? null, written, changed: false };
    return await withScratch(plumbing, async (scratch) => {
      // Blobs do not depend on the tip, so a lost swap only redoes the tree and the commit.
      const blobs = await hashBlobs(plumbing, scratch, files.map((file) => file.content));
      const put = new Map(files.map((file, i) => [file.path, blobs[i]!]));
      let lastLoss = '';
      let prepared: { base: string | null; commit: string } | undefined;
      for (let attempt = 1; attempt <= MAX_SWAP_ATTEMPTS; attempt++) {
        const tip = await readTip(plumbing, ref);
        const base = tip?.commit ?? null;
        // A swap lost to a held lock leaves the tip where it was: the commit made for it still fits.
        if (prepared?.base !== base) {
          const tree = await buildTree(plumbing, scratch, { base: tip, put });
          if (tip && tree === tip.tree) return { commit: tip.commit, written, changed: false };
          prepared = { base, commit: await commitTree(plumbing, tree, base, message) };
        }
        const swap = await swapRef(plumbing, ref, prepared.commit, base, message.split('\n')[0]!);
        if (swap.swapped) return { commit: prepared.commit, written, changed: true };
        lastLoss = swap.reason;
        plumbing.checkDeadline();
        await sleep(jitter(SWAP_JITTER_MS * attempt));
      }
      throw new LedgerError('write', repoDir, ref, `lost the compare-and-swap ${MAX_SWAP_ATTEMPTS} times (last: ${lastLoss})`);
    });
  } catch (error) {
    throw asLedgerError(error, 'write', repoDir, ref);
  }
}
