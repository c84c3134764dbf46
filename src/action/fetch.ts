/**
 * Fetching only the data branch of each repository into one scratch bare repository, then reading
 * its summaries in bulk (`readSummaries`: one `ls-tree`, one `cat-file --batch`). No checkout, no
 * tags: a night reads what it aggregates and nothing else. The one other branch, when experiments
 * are judged, is the default branch's recent commits without blobs, for their trailers
 * (fetch-trailers.ts).
 *
 * The token travels as an `http.<server>/.extraheader` set through GIT_CONFIG_* variables of that
 * one fetch: never in a URL (git would print it in errors and store it in FETCH_HEAD), never on a
 * command line (visible in the process list), never in a config file left on disk.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { git, GitError, gitMaybe } from '../ledger/git.js';
import { readSummaries, type LedgerContents, type StoredSummary } from '../ledger/read.js';
import type { StrategyEvent } from '../ledger/trailers.js';
import { fetchStrategyEvents } from './fetch-trailers.js';
import type { RepositorySource } from './inputs.js';

export interface FetchedLedger {
  repository: string;
  /** The branch as configured (`token-data`). */
  dataBranch: string;
  /** Commit read; null when the repository has no data branch. */
  tip: string | null;
  contents: LedgerContents;
  /**
   * True when `FetchOptions.reuse` accepted the tip: the branch was not read, `contents` is
   * empty, and the caller takes the sessions from where it recorded this tip before.
   */
  reused: boolean;
  /**
   * Strategy events on the default branch, when asked for (`FetchOptions.trailers`); `error`
   * when that branch could not be fetched, so the repository takes no part in experiments.
   */
  trailers?: { events: StrategyEvent[] } | { error: string };
}

export interface FetchOptions {
  dataBranch: string;
  token: string | undefined;
  serverUrl: string;
  /** The scratch repositories are made (and removed) in here. */
  tempDir: string;
  /**
   * A folder kept between runs: the data branches are fetched into `<gitCache>/data.git` there,
   * so a run transfers only the objects added since the last one. Without it, every run fetches
   * every data branch whole into a scratch repository.
   */
  gitCache?: string;
  /** Told about a repository without the data branch. */
  onMissingBranch: (repository: string) => void;
  /** Also read the default branch's strategy trailers committed at or after `since` (epoch ms). */
  trailers?: { since: number };
  /**
   * Asked with each fetched tip: true means the caller already has this commit's sessions, so
   * the branch is not read. Reading (one blob and one schema check per session, for every
   * session ever captured) is what grows night after night; the fetch is not skipped, since it
   * is what tells the tip.
   */
  reuse?: (repository: string, tip: string) => boolean;
  /**
   * Blobs the caller holds rows of, for a branch that is read: those files are not read again
   * (see `readSummaries`' `skip`), so a night reads only what was added or changed.
   */
  known?: (repository: string) => ReadonlySet<string> | undefined;
  /**
   * When given, the valid summaries of each branch that is read go to the function it returns
   * (asked with the repository and tip first), one by one as they are parsed, and
   * `contents.summaries` stays empty: a run over a million sessions never holds them all.
   */
  consume?: (repository: string, tip: string) => (stored: StoredSummary) => void;
  /** The reader of a branch's summaries; tests count its calls. */
  read?: typeof readSummaries;
}

export class FetchError extends Error {}

/** Repositories fetched and read at once. */
const FETCH_CONCURRENCY = 4;

/** `work` for every item, at most `limit` at once; results in the items' order. */
async function inTurns<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!, index);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function fetchLedgers(sources: readonly RepositorySource[], options: FetchOptions): Promise<FetchedLedger[]> {
  const root = await mkdtemp(path.join(options.tempDir, 'tokenledger-fetch-'));
  const scratch = options.gitCache === undefined ? path.join(root, 'data.git') : path.join(options.gitCache, 'data.git');
  try {
    await openDataRepository(scratch);
    // A few repositories at a time: each is mostly waiting on the network (hundreds of
    // repositories one after another took minutes), and one in full flight keeps both a git and
    // the parser busy. Data branches go to refs of their own in one repository; the shallow
    // default-branch fetches each get a repository (git's `shallow` file is one per repository).
    const missing: string[] = [];
    const ledgers = await inTurns(sources, FETCH_CONCURRENCY, async (source, n) => {
      // Named by repository, not position, so a cached repository keeps its refs when the list changes.
      const ref = `refs/tokenledger/data/${createHash('sha256').update(source.url).digest('hex').slice(0, 16)}`;
      const fetched = await fetchBranch(scratch, source, ref, options);
      let ledger: FetchedLedger;
      if (!fetched) {
        missing[n] = source.name;
        ledger = { repository: source.name, dataBranch: options.dataBranch, tip: null, contents: { summaries: [], invalid: [] }, reused: false };
      } else {
        const tip = await git(scratch, ['rev-parse', '--verify', `${ref}^{commit}`]);
        const reused = options.reuse?.(source.name, tip) ?? false;
        const skip = reused ? undefined : options.known?.(source.name);
        const onSummary = reused ? undefined : options.consume?.(source.name, tip);
        const contents = reused ? { summaries: [], invalid: [] } : await (options.read ?? readSummaries)(scratch, ref, { ...(skip ? { skip } : {}), ...(onSummary ? { onSummary } : {}) });
        ledger = { repository: source.name, dataBranch: options.dataBranch, tip, contents, reused };
      }
      if (options.trailers) {
        try {
          const trailerScratch = path.join(root, `trailers-${n}.git`);
          await git(root, ['init', '-q', '--bare', trailerScratch]);
          ledger.trailers = { events: await fetchStrategyEvents(trailerScratch, source, n, { since: options.trailers.since, env: envFor(source, options) }) };
        } catch (error) {
          ledger.trailers = { error: error instanceof Error ? error.message : String(error) };
        }
      }
      return ledger;
    });
    // Told in the order of the list, whichever fetch finished first.
    for (const name of missing) if (name !== undefined) options.onMissingBranch(name);
    return ledgers;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * A bare repository to fetch data branches into: made when missing; one that git no longer
 * recognizes (a damaged cache) is made again, since it only ever holds fetched copies.
 */
async function openDataRepository(dir: string): Promise<void> {
  if (existsSync(dir) && (await gitMaybe(dir, ['rev-parse', '--is-bare-repository'])) === 'true') return;
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  await git(path.dirname(dir), ['init', '-q', '--bare', dir]);
}

function envFor(source: RepositorySource, options: FetchOptions): Record<string, string> {
  return source.authenticated && options.token ? authEnv(options.serverUrl, options.token) : {};
}

/** Fetches the data branch into `ref`; false when the repository has no such branch. */
async function fetchBranch(scratch: string, source: RepositorySource, ref: string, options: FetchOptions): Promise<boolean> {
  const env = envFor(source, options);
  try {
    await git(scratch, ['fetch', '-q', '--no-tags', '--no-write-fetch-head', '--', source.url, `+refs/heads/${options.dataBranch}:${ref}`], { env });
    return true;
  } catch (error) {
    // LC_ALL=C (set by the git runner) keeps this message in English.
    if (error instanceof GitError && /couldn't find remote ref/i.test(error.stderr)) return false;
    const detail = error instanceof GitError ? error.stderr.trim().split('\n').slice(-2).join(' | ') : String(error);
    throw new FetchError(`could not fetch ${options.dataBranch} from ${source.name}: ${detail}`);
  }
}

/** One extra header for requests to the GitHub server, as actions/checkout sends it. */
function authEnv(serverUrl: string, token: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${serverUrl}/.extraheader`, GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}` };
}
