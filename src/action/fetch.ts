/**
 * Fetching only the data branch of each repository into one scratch bare repository, then reading
 * its summaries in bulk (`readSummaries`: one `ls-tree`, one `cat-file --batch`). No checkout, no
 * other branch, no tags: a night reads what it aggregates and nothing else.
 *
 * The token travels as an `http.<server>/.extraheader` set through GIT_CONFIG_* variables of that
 * one fetch: never in a URL (git would print it in errors and store it in FETCH_HEAD), never on a
 * command line (visible in the process list), never in a config file left on disk.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { git, GitError } from '../ledger/git.js';
import { readSummaries, type LedgerContents } from '../ledger/read.js';
import type { RepositorySource } from './inputs.js';

export interface FetchedLedger {
  repository: string;
  /** The branch as configured (`token-data`). */
  dataBranch: string;
  /** Commit read; null when the repository has no data branch. */
  tip: string | null;
  contents: LedgerContents;
}

export interface FetchOptions {
  dataBranch: string;
  token: string | undefined;
  serverUrl: string;
  /** The scratch repository is made (and removed) in here. */
  tempDir: string;
  /** Told about a repository without the data branch. */
  onMissingBranch: (repository: string) => void;
}

export class FetchError extends Error {}

export async function fetchLedgers(sources: readonly RepositorySource[], options: FetchOptions): Promise<FetchedLedger[]> {
  const scratch = await mkdtemp(path.join(options.tempDir, 'tokenledger-fetch-'));
  try {
    await git(scratch, ['init', '-q', '--bare']);
    const ledgers: FetchedLedger[] = [];
    for (const [n, source] of sources.entries()) {
      const ref = `refs/tokenledger/data/${n}`;
      const fetched = await fetchBranch(scratch, source, ref, options);
      if (!fetched) {
        options.onMissingBranch(source.name);
        ledgers.push({ repository: source.name, dataBranch: options.dataBranch, tip: null, contents: { summaries: [], invalid: [] } });
        continue;
      }
      const tip = await git(scratch, ['rev-parse', '--verify', `${ref}^{commit}`]);
      ledgers.push({ repository: source.name, dataBranch: options.dataBranch, tip, contents: await readSummaries(scratch, ref) });
    }
    return ledgers;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Fetches the data branch into `ref`; false when the repository has no such branch. */
async function fetchBranch(scratch: string, source: RepositorySource, ref: string, options: FetchOptions): Promise<boolean> {
  const env = source.authenticated && options.token ? authEnv(options.serverUrl, options.token) : {};
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
