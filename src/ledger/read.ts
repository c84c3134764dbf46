/**
 * Reading the summaries on the data branch: one `ls-tree` for the paths and one `cat-file --batch`
 * process for all contents, however many sessions there are. Each blob is parsed and checked as it
 * arrives, while git works out the next ones on another core, and its text is dropped once checked
 * (100,000 files are ~400 MB of JSON). A damaged file is reported with its path and reason and
 * skipped; it never stops the others from being read.
 */
import { compiledCheck } from '../compiled-check.js';
import { resolveCommit } from './commits.js';
import { describeZodIssues } from '../errors.js';
import { splitBatchAnswers } from './cat-file.js';
import { asLedgerError } from './errors.js';
import { DATA_REF, parseSummaryPath, SESSIONS_DIR, summaryPath } from './paths.js';
import { createPlumbing, type Plumbing } from './plumbing.js';
import { sessionSummarySchema, type SessionSummary } from '../summary/schema.js';

export interface StoredSummary {
  /** Path on the branch, e.g. `sessions/2026/05/04/ses_….json`. */
  path: string;
  /** The file's git blob id. */
  blob: string;
  summary: SessionSummary;
}

export interface InvalidLedgerFile {
  path: string;
  /** Why it was skipped: not JSON, the schema issues as `field: message`, or a wrong path. */
  reason: string;
}

export interface LedgerContents {
  summaries: StoredSummary[];
  invalid: InvalidLedgerFile[];
  /** Blobs on the branch that were not read because the caller knew them (`skip`). */
  skipped?: string[];
}

interface BlobEntry {
  path: string;
  oid: string;
}

/** Paths of all files under `sessions/` on `ref` (any revision); empty when the ref does not exist. */
export async function listSummaryPaths(repoDir: string, ref = DATA_REF): Promise<string[]> {
  try {
    return (await listBlobs(createPlumbing(repoDir), ref)).map((entry) => entry.path);
  } catch (error) {
    throw asLedgerError(error, 'read', repoDir, ref);
  }
}

export interface ReadOptions {
  /** Milliseconds for the whole read, after which git is stopped and the read fails (a DeadlineError as `cause`); default: no limit. */
  timeoutMs?: number;
  /**
   * Blobs the caller knows (its rows of files it read before: same blob, same content): listed in
   * `skipped` instead of being read and checked again.
   */
  skip?: ReadonlySet<string>;
  /**
   * Receives each valid summary as soon as it is checked, in branch order, instead of it being
   * collected (`summaries` is then empty): a caller that folds them as they come never holds them
   * all. Invalid files are still collected. What it throws stops the read and is rethrown as is;
   * summaries handed over before a failure stay handed over.
   */
  onSummary?: (stored: StoredSummary) => void;
}

/** Every valid summary on `ref` and every file that is not one; empty when the ref does not exist. */
export async function readSummaries(repoDir: string, ref = DATA_REF, options: ReadOptions = {}): Promise<LedgerContents> {
  try {
    const plumbing = createPlumbing(repoDir, options);
    const listed = await listBlobs(plumbing, ref);
    const { skip, onSummary } = options;
    const entries = skip ? listed.filter((entry) => !skip.has(entry.oid)) : listed;
    const result: LedgerContents = { summaries: [], invalid: [], ...(skip ? { skipped: listed.filter((entry) => skip.has(entry.oid)).map((entry) => entry.oid) } : {}) };
    const accept = onSummary ? inCallerErrors(onSummary) : (stored: StoredSummary) => void result.summaries.push(stored);
    await readBlobs(plumbing, entries, (entry, content) => {
      const checked = checkSummaryFile(entry.path, content);
      if ('summary' in checked) accept({ path: entry.path, blob: entry.oid, summary: checked.summary });
      else result.invalid.push({ path: entry.path, reason: checked.reason });
    });
    return result;
  } catch (error) {
    if (error instanceof CallerError) throw error.error;
    throw asLedgerError(error, 'read', repoDir, ref);
  }
}

/** What the caller's `onSummary` threw, carried through git's runner to be rethrown unwrapped. */
class CallerError {
  constructor(readonly error: unknown) {}
}

function inCallerErrors<T>(callback: (value: T) => void): (value: T) => void {
  return (value) => {
    try {
      callback(value);
    } catch (error) {
      throw new CallerError(error);
    }
  };
}

async function listBlobs(plumbing: Plumbing, ref: string): Promise<BlobEntry[]> {
  // Resolve once, so the listing and the contents come from the same commit even if the ref moves.
  const commit = await resolveCommit(plumbing, ref);
  if (!commit) return [];
  const out = await plumbing.git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', `${SESSIONS_DIR}/`]);
  const entries: BlobEntry[] = [];
  for (const record of out.split('\0')) {
    // `<mode> SP <type> SP <oid> TAB <path>`
    const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(record);
    if (match) entries.push({ oid: match[1]!, path: match[2]! });
  }
  return entries;
}

/**
 * Hands each entry's content (undefined when missing from the object store) to `onBlob`, in order,
 * as `cat-file --batch` produces it.
 */
async function readBlobs(plumbing: Plumbing, entries: readonly BlobEntry[], onBlob: (entry: BlobEntry, content: string | undefined) => void): Promise<void> {
  if (entries.length === 0) return;
  let answered = 0;
  const onStdout = splitBatchAnswers((content) => {
    const entry = entries[answered++];
    if (!entry) throw new Error('cat-file --batch answered more than it was asked');
    onBlob(entry, content);
  });
  // Summaries are near-identical JSON, so packs store them as long delta chains; git's default
  // 96 MiB delta-base cache thrashes on them (bench: 100,000 files in 36 s; with 1 GiB, 4 s).
  // --buffer: all questions are asked at once, so git need not flush after each answer.
  await plumbing.gitBuffer(['-c', 'core.deltaBaseCacheLimit=1g', 'cat-file', '--batch', '--buffer'], { input: entries.map((entry) => entry.oid).join('\n') + '\n', onStdout });
  if (answered < entries.length) throw new Error(`cat-file --batch ended early, before ${entries[answered]!.oid}`);
}

const checkSummary = compiledCheck(sessionSummarySchema);

function checkSummaryFile(path: string, content: string | undefined): { summary: SessionSummary } | { reason: string } {
  if (!parseSummaryPath(path)) return { reason: `not a session file (expected ${SESSIONS_DIR}/YYYY/MM/DD/<id>.json)` };
  if (content === undefined) return { reason: 'blob missing from the object store' };
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    return { reason: `not JSON: ${(error as Error).message}` };
  }
  const checked = checkSummary(json);
  if ('issues' in checked) return { reason: describeZodIssues(checked.issues).join('; ') };
  const summary = checked.data;
  const expected = summaryPath(summary);
  // Re-capture finds a session's old file by id, so a file must sit where its id and date say.
  if (expected !== path) return { reason: `session ${summary.id} started ${summary.startedAt} belongs at ${expected}` };
  return { summary };
}
