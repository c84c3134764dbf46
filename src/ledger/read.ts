/**
 * Reading the summaries on the data branch: one `ls-tree` for the paths and one `cat-file --batch`
 * process for all contents, however many sessions there are. A damaged file is reported with its
 * path and reason and skipped; it never stops the others from being read.
 */
import { resolveCommit } from './commits.js';
import { describeZodIssues } from '../errors.js';
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

/**
 * Every valid summary on `ref` and every file that is not one; empty when the ref does not exist.
 * Blobs in `skip` (a caller's rows of files it read before: same blob, same content) are listed in
 * `skipped` instead of being read and checked again.
 */
export async function readSummaries(repoDir: string, ref = DATA_REF, options: { timeoutMs?: number; skip?: ReadonlySet<string> } = {}): Promise<LedgerContents> {
  try {
    const plumbing = createPlumbing(repoDir, options);
    const listed = await listBlobs(plumbing, ref);
    const skip = options.skip;
    const entries = skip ? listed.filter((entry) => !skip.has(entry.oid)) : listed;
    const contents = await readBlobs(plumbing, entries.map((entry) => entry.oid));
    const result: LedgerContents = { summaries: [], invalid: [], ...(skip ? { skipped: listed.filter((entry) => skip.has(entry.oid)).map((entry) => entry.oid) } : {}) };
    entries.forEach((entry, i) => {
      const checked = checkSummaryFile(entry.path, contents[i]);
      if ('summary' in checked) result.summaries.push({ path: entry.path, blob: entry.oid, summary: checked.summary });
      else result.invalid.push({ path: entry.path, reason: checked.reason });
    });
    return result;
  } catch (error) {
    throw asLedgerError(error, 'read', repoDir, ref);
  }
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

/** Contents of each blob in order (undefined when missing), from one `cat-file --batch` process. */
async function readBlobs(plumbing: Plumbing, oids: readonly string[]): Promise<(Buffer | undefined)[]> {
  if (oids.length === 0) return [];
  // Summaries are near-identical JSON, so packs store them as long delta chains; git's default
  // 96 MiB delta-base cache thrashes on them (bench: 100,000 files in 36 s; with 1 GiB, 4 s).
  const out = await plumbing.gitBuffer(['-c', 'core.deltaBaseCacheLimit=1g', 'cat-file', '--batch'], { input: oids.join('\n') + '\n' });
  const contents: (Buffer | undefined)[] = [];
  let offset = 0;
  for (const oid of oids) {
    // Each answer is `<oid> <type> <size>\n<bytes>\n`, or `<oid> missing\n`.
    const headerEnd = out.indexOf(0x0a, offset);
    if (headerEnd < 0) throw new Error(`cat-file --batch ended early, before ${oid}`);
    const [, type, size] = out.toString('utf8', offset, headerEnd).split(' ');
    if (type === 'missing' || size === undefined) {
      contents.push(undefined);
      offset = headerEnd + 1;
      continue;
    }
    const start = headerEnd + 1;
    contents.push(out.subarray(start, start + Number(size)));
    offset = start + Number(size) + 1;
  }
  return contents;
}

function checkSummaryFile(path: string, content: Buffer | undefined): { summary: SessionSummary } | { reason: string } {
  if (!parseSummaryPath(path)) return { reason: `not a session file (expected ${SESSIONS_DIR}/YYYY/MM/DD/<id>.json)` };
  if (!content) return { reason: 'blob missing from the object store' };
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch (error) {
    return { reason: `not JSON: ${(error as Error).message}` };
  }
  const parsed = sessionSummarySchema.safeParse(json);
  if (!parsed.success) return { reason: describeZodIssues(parsed.error.issues).join('; ') };
  const expected = summaryPath(parsed.data);
  // Re-capture finds a session's old file by id, so a file must sit where its id and date say.
  if (expected !== path) return { reason: `session ${parsed.data.id} started ${parsed.data.startedAt} belongs at ${expected}` };
  return { summary: parsed.data };
}
