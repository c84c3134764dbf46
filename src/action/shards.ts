/**
 * `partial` and `merge`: one night split over a workflow matrix. Each shard job runs `partial`
 * on its share of the repositories and uploads the file; one job downloads them all and runs
 * `merge`, which ends exactly as `report` does (`publishReport`): the same site data, the same
 * job summary. Experiments are judged after the merge, from the strategy events each shard
 * stored in its sources, since a control repository may sit in another shard.
 */
import { mkdir } from 'node:fs/promises';
import { writePartialFile } from '../aggregate/partial-file.js';
import path from 'node:path';
import { mergePartials, type AggregatePartial } from '../aggregate/index.js';
import { actionsLog, collectLedgers, type CollectOptions } from './collect.js';
import { judgeExperiments } from '../aggregate/judge.js';
import { countInvalid, publishReport, type NightlyReport } from './nightly.js';
import { expandPartials, readPartials } from './partial-files.js';

export interface PartialRun {
  partial: AggregatePartial;
  sessions: number;
  invalidFiles: number;
  /** Absolute path written. */
  partialFile: string;
  /** Repositories whose sessions came from the previous partial. */
  reused: string[];
}

export async function runPartial(options: CollectOptions): Promise<PartialRun> {
  const { partial, reused, log } = await collectLedgers(options);
  await mkdir(path.dirname(options.partialFile), { recursive: true });
  await writePartialFile(options.partialFile, partial);
  log.info(`tokenledger: ${partial.sessions.length} sessions from ${partial.sources.length} repositories; wrote ${options.partialFile}`);
  return { partial, sessions: partial.sessions.length, invalidFiles: countInvalid(partial), partialFile: options.partialFile, reused };
}

export async function runMerge(options: CollectOptions): Promise<NightlyReport> {
  const log = options.log ?? actionsLog;
  const files = await expandPartials(options.partials, options.workspace);
  const partial = mergePartials(await readPartials(files));
  const { experiments, withoutEvents } = judgeExperiments(partial, options);
  log.info(`tokenledger: merged ${files.length} partials`);
  return publishReport(options, {
    now: options.now ?? new Date(),
    log,
    partial,
    // Paths were named in the shards' warnings; the partials keep the counts.
    invalidFiles: [],
    missingBranch: partial.sources.filter((source) => source.tip === null).map((source) => source.repository),
    experiments,
    unreadableDefaultBranch: withoutEvents,
  });
}
