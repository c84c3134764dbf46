/**
 * `tokenledger aggregate [repositories…]`: the team aggregate from local clones, what the
 * Action's `partial` builds on a runner, without fetching: each repository's data branch (local,
 * else `origin/<branch>`) and its default branch's strategy trailers. Writes the partial file and,
 * with `--site`, builds the site from it.
 */
import path from 'node:path';
import { buildPartial, type PartialInput } from '../../aggregate/index.js';
import { partialStrategyEvents, withStrategyEvents } from '../../aggregate/judge.js';
import type { PartialStrategyEvent } from '../../aggregate/partial-schema.js';
import { writePartialFile } from '../../aggregate/partial-file.js';
import { gitMaybe } from '../../ledger/git.js';
import { readSummaries } from '../../ledger/read.js';
import { defaultBranchRef, readStrategyEvents } from '../../ledger/trailers.js';
import { buildSite } from '../../site/build.js';
import { TOKENLEDGER_VERSION } from '../../version.js';
import { UserError, warn } from '../output.js';
import { judgeWithFlags, siteOptions, type SiteFlags } from './site.js';

export interface AggregateFlags extends Omit<SiteFlags, 'out'> {
  out: string;
  dataBranch: string;
  site?: string;
}

export async function runAggregate(repositories: string[], flags: AggregateFlags): Promise<void> {
  const dirs = (repositories.length > 0 ? repositories : ['.']).map((dir) => path.resolve(dir));
  const options = siteOptions({ ...flags, out: flags.site ?? '_site' }, flags.timezone ?? 'UTC');
  const inputs: PartialInput[] = [];
  const events = new Map<string, PartialStrategyEvent[]>();
  for (const dir of dirs) {
    if ((await gitMaybe(dir, ['rev-parse', '--git-dir'])) === undefined) throw new UserError(`${dir}: not a git repository`);
    const repository = await repositoryName(dir);
    const data = await dataBranch(dir, flags.dataBranch);
    const contents = data === null ? { summaries: [], invalid: [] } : await readSummaries(dir, data.tip);
    warn(contents.invalid.map((file) => `${repository}: ${file.path} on ${flags.dataBranch} skipped: ${file.reason}`));
    if (data === null) warn([`${repository}: no ${flags.dataBranch} branch (nor origin/${flags.dataBranch}): counted as no sessions`]);
    const read = await readStrategyEvents(dir, { ref: await defaultBranchRef(dir) });
    events.set(repository, partialStrategyEvents(read));
    inputs.push({
      repository,
      dataRef: flags.dataBranch,
      tip: data?.tip ?? null,
      summaries: contents.summaries.map((stored) => stored.summary),
      blobs: contents.summaries.map((stored) => stored.blob),
      invalidFiles: contents.invalid.length,
    });
  }
  const partial = withStrategyEvents(buildPartial(inputs, { timezone: options.timezone, builtBy: TOKENLEDGER_VERSION, developers: options.developers }), events);
  const out = path.resolve(flags.out);
  await writePartialFile(out, partial);
  const invalid = partial.sources.reduce((sum, source) => sum + source.invalidFiles, 0);
  process.stderr.write(`tokenledger: ${partial.sessions.length} sessions from ${partial.sources.length} repositories (${invalid} invalid files skipped); wrote ${out}\n`);
  if (flags.site === undefined) return;
  const site = await buildSite(partial, judgeWithFlags(partial, flags), options);
  process.stderr.write(`tokenledger: ${site.pages} pages and ${site.charts} charts in ${site.outDir}\n`);
}

/** `owner/name` from an origin URL on a forge, else the folder's name. */
async function repositoryName(dir: string): Promise<string> {
  const url = await gitMaybe(dir, ['config', '--get', 'remote.origin.url']);
  const match = url === undefined ? null : /[:/]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match?.[1] ?? path.basename(dir);
}

/** The data branch's tip: local, else the remote-tracking copy a `git fetch` brings. */
async function dataBranch(dir: string, branch: string): Promise<{ tip: string } | null> {
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`]) {
    const tip = await gitMaybe(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (tip !== undefined) return { tip };
  }
  return null;
}
