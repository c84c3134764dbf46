/**
 * What every command that reads the data branches needs first: fetch each repository's data
 * branch (and default-branch trailers), skip invalid files with one warning each, aggregate the
 * rest into one partial and judge the strategy experiments. `report` writes and summarizes the
 * result for all repositories; `pr-comment` renders it for one.
 *
 * A damaged file never fails a run: anyone who can push can write the data branch, so one bad
 * file must not hide everyone else's numbers. It becomes a warning annotation and is skipped.
 */
import * as core from '@actions/core';
import { buildExperiments, type Experiment, type RepositoryEvents } from '../aggregate/experiments.js';
import { buildPartial, type AggregatePartial, type PartialInput } from '../aggregate/index.js';
import { TOKENLEDGER_VERSION } from '../version.js';
import { fetchLedgers } from './fetch.js';
import type { ReportOptions } from './inputs.js';

export interface NightlyLog {
  warning(message: string, properties: { title: string; file?: string }): void;
  info(message: string): void;
}

export interface InvalidFile {
  repository: string;
  path: string;
  reason: string;
}

export interface CollectOptions extends ReportOptions {
  /** "Now" for the weekly windows and the trailer lookback. */
  now?: Date;
  /** Where annotations and notices go; the Actions log by default. */
  log?: NightlyLog;
}

export interface Collected {
  now: Date;
  log: NightlyLog;
  repositories: number;
  partial: AggregatePartial;
  invalidFiles: InvalidFile[];
  /** Repositories without the data branch (counted as no sessions). */
  missingBranch: string[];
  experiments: Experiment[];
  /** Repositories whose default branch could not be read: no experiments from them. */
  unreadableDefaultBranch: string[];
}

export const actionsLog: NightlyLog = {
  warning: (message, properties) => core.warning(message, properties),
  info: (message) => core.info(message),
};

/** Trailers older than the window plus a year cannot start an experiment worth judging tonight. */
const TRAILER_LOOKBACK_DAYS = 365;
const DAY_MS = 86_400_000;

export async function collectLedgers(options: CollectOptions): Promise<Collected> {
  const log = options.log ?? actionsLog;
  const now = options.now ?? new Date();
  const missingBranch: string[] = [];
  const ledgers = await fetchLedgers(options.repositories, {
    dataBranch: options.dataBranch,
    token: options.token,
    serverUrl: options.serverUrl,
    tempDir: options.tempDir,
    trailers: { since: now.getTime() - (options.strategyWindowDays + TRAILER_LOOKBACK_DAYS) * DAY_MS },
    onMissingBranch: (repository) => {
      missingBranch.push(repository);
      log.warning(`${repository} has no ${options.dataBranch} branch yet: counted as no sessions`, { title: 'tokenledger: no data branch' });
    },
  });

  const invalidFiles: InvalidFile[] = [];
  const inputs: PartialInput[] = ledgers.map((ledger) => {
    for (const file of ledger.contents.invalid) {
      invalidFiles.push({ repository: ledger.repository, path: file.path, reason: file.reason });
      log.warning(`${ledger.repository}: ${file.path} on ${ledger.dataBranch} skipped: ${file.reason}`, { title: `tokenledger: invalid summary in ${ledger.repository}`, file: file.path });
    }
    const summaries = ledger.contents.summaries.map((stored) => (options.developers === 'off' ? { ...stored.summary, developer: null } : stored.summary));
    return { repository: ledger.repository, dataRef: ledger.dataBranch, tip: ledger.tip, summaries, invalidFiles: ledger.contents.invalid.length };
  });
  const partial = buildPartial(inputs, { timezone: options.timezone, builtBy: TOKENLEDGER_VERSION });

  const withEvents: RepositoryEvents[] = [];
  const unreadableDefaultBranch: string[] = [];
  for (const ledger of ledgers) {
    if (ledger.trailers === undefined) continue;
    if ('events' in ledger.trailers) withEvents.push({ repository: ledger.repository, events: ledger.trailers.events });
    else {
      unreadableDefaultBranch.push(ledger.repository);
      log.warning(`${ledger.repository}: default branch not readable, so no experiments from it: ${ledger.trailers.error}`, { title: 'tokenledger: no strategy trailers' });
    }
  }
  const experiments = buildExperiments(withEvents, partial.sessions, { windowDays: options.strategyWindowDays, minSessions: options.minSessions });
  return { now, log, repositories: ledgers.length, partial, invalidFiles, missingBranch, experiments, unreadableDefaultBranch };
}
