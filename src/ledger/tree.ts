/**
 * Building a data-branch tree without the developer's index: blobs go in with `hash-object`, the
 * tree is edited in a private index (`GIT_INDEX_FILE`) inside a scratch folder of the git dir and
 * written with `write-tree`. For internal use by `src/ledger/`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tip } from './commits.js';
import { parseSummaryPath, SESSIONS_DIR } from './paths.js';
import type { Plumbing } from './plumbing.js';

export interface Scratch {
  dir: string;
  /** Our private index; the developer's `.git/index` is never read or written. */
  indexFile: string;
}

/**
 * Runs `work` with a fresh scratch folder in the git dir (unique per call, so concurrent writers
 * never share an index) and removes it afterwards, also on failure.
 */
export async function withScratch<T>(plumbing: Plumbing, work: (scratch: Scratch) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(await plumbing.gitDir(), 'tokenledger-'));
  try {
    return await work({ dir, indexFile: path.join(dir, 'index') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Stores each content as a blob and returns the ids in order: one `hash-object --stdin-paths`
 * for the whole batch (a backfill writes thousands). `--no-filters`: the repository's
 * .gitattributes (eol, LFS) are for the developer's files, not ours.
 */
export async function hashBlobs(plumbing: Plumbing, scratch: Scratch, contents: readonly string[]): Promise<string[]> {
  if (contents.length === 0) return [];
  const files = contents.map((_, i) => path.join(scratch.dir, `blob-${i}`));
  await Promise.all(files.map((file, i) => writeFile(file, contents[i]!)));
  const ids = (await plumbing.git(['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: files.join('\n') + '\n' })).split('\n');
  if (ids.length !== contents.length) throw new Error(`hash-object returned ${ids.length} ids for ${contents.length} files`);
  return ids;
}

export interface TreeEdit {
  /** The commit whose tree is edited; null starts from an empty tree. */
  base: Tip | null;
  /** Path -> blob id to add or replace (mode 100644). */
  put: ReadonlyMap<string, string>;
  /** Paths to remove (absent ones are ignored). */
  drop?: Iterable<string>;
}

/**
 * Applies `edit` to the base tree and returns the new tree id. Putting a session file also
 * removes every other file of the same session id under `sessions/`: a re-captured session whose
 * start date moved replaces its old file instead of adding a second one.
 */
export async function buildTree(plumbing: Plumbing, scratch: Scratch, edit: TreeEdit): Promise<string> {
  const env = { GIT_INDEX_FILE: scratch.indexFile };
  await rm(scratch.indexFile, { force: true }); // a retry starts over from the new base
  if (edit.base) await plumbing.git(['read-tree', edit.base.tree], { env });

  const remove = new Set([...(edit.drop ?? [])].filter((file) => !edit.put.has(file)));
  const putIds = new Set([...edit.put.keys()].map((file) => parseSummaryPath(file)?.id).filter((id) => id !== undefined));
  if (edit.base && putIds.size > 0) {
    for (const file of await listTreeFiles(plumbing, edit.base.tree, SESSIONS_DIR)) {
      const id = parseSummaryPath(file)?.id;
      if (id !== undefined && putIds.has(id) && !edit.put.has(file)) remove.add(file);
    }
  }

  const oidLength = edit.base?.tree.length ?? [...edit.put.values()][0]?.length ?? 40;
  const lines = [...[...edit.put].map(([file, blob]) => `100644 ${blob}\t${file}`), ...[...remove].map((file) => `0 ${'0'.repeat(oidLength)}\t${file}`)];
  if (lines.length > 0) await plumbing.git(['update-index', '-z', '--index-info'], { env, input: lines.join('\0') + '\0' });
  return plumbing.git(['write-tree'], { env });
}

/** Every file path under `folder` in `tree`, from the top of the tree whatever the working directory. */
export async function listTreeFiles(plumbing: Plumbing, tree: string, folder: string): Promise<string[]> {
  const out = await plumbing.git(['ls-tree', '-r', '-z', '--name-only', '--full-tree', tree, '--', `${folder}/`]);
  return out.split('\0').filter((file) => file !== '');
}
