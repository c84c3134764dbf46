/**
 * The default branch's strategy trailers (DESIGN.md §7) for one repository: commits only
 * (`--filter=blob:none`), and only as far back as experiments can matter (`--shallow-since`), into
 * a scratch repository of their own, so the shallow and partial-clone state never touches the one
 * the summaries are read from.
 *
 * A server that does not allow filters (a local bare repository without `uploadpack.allowFilter`)
 * makes git print "filtering not recognized by server, ignoring" and send the blobs anyway: slower,
 * same answer, so there is no fallback of our own.
 */
import { git, GitError } from '../ledger/git.js';
import { readStrategyEvents, type StrategyEvent } from '../ledger/trailers.js';
import type { RepositorySource } from './inputs.js';

export class TrailerFetchError extends Error {}

/** `HEAD` of the remote is its default branch; fetched into `refs/tokenledger/default/<n>`. */
export async function fetchStrategyEvents(scratch: string, source: RepositorySource, n: number, options: { since: number; env: Record<string, string> }): Promise<StrategyEvent[]> {
  const remote = `r${n}`;
  const ref = `refs/tokenledger/default/${n}`;
  // A named remote, not a URL: git records a partial fetch as `remote.<name>.promisor`, and a
  // path is not a valid remote name (it warns and cannot record it).
  await git(scratch, ['config', `remote.${remote}.url`, source.url]);
  const since = `--shallow-since=@${Math.floor(options.since / 1000)}`;
  try {
    await git(scratch, ['fetch', '-q', '--no-tags', '--no-write-fetch-head', '--filter=blob:none', since, remote, `+HEAD:${ref}`], { env: options.env });
  } catch (error) {
    const stderr = error instanceof GitError ? error.stderr : '';
    // Nothing landed since `since`, or no commit at all: no trailers to read, not a failure.
    if (/no commits selected for shallow requests|couldn't find remote ref HEAD/i.test(stderr)) return [];
    const detail = error instanceof GitError ? stderr.trim().split('\n').slice(-2).join(' | ') : String(error);
    throw new TrailerFetchError(detail);
  }
  return readStrategyEvents(scratch, { ref, since: options.since });
}
