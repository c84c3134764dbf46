/**
 * What every command that reads the data branches needs first: fetch each repository's data
 * branch (and default-branch trailers), skip invalid files with one warning each, and aggregate
 * the rest into one partial whose sources carry their strategy events (judge.ts reads them).
 * `report` writes and summarizes the result for all repositories, `pr-comment` renders it for
 * one, `partial` writes it for a later `merge`.
 *
 * A damaged file never fails a run: anyone who can push can write the data branch, so one bad
 * file must not hide everyone else's numbers. It becomes a warning annotation and is skipped.
 */
import * as core from '@actions/core';
import { PartialBuilder, type AggregatePartial, type SourceFeed } from '../aggregate/index.js';
import { partialStrategyEvents, withStrategyEvents } from '../aggregate/judge.js';
import type { PartialStrategyEvent, SessionRow } from '../aggregate/partial-schema.js';
import type { readSummaries } from '../ledger/read.js';
import { TOKENLEDGER_VERSION } from '../version.js';
import { fetchLedgers, type FetchedLedger } from './fetch.js';
import type { ReportOptions } from './inputs.js';
import { readPreviousPartial, reusedPart } from './reuse.js';

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
  /** The reader of a data branch; tests count its calls. */
  readSummaries?: typeof readSummaries;
}

export interface Collected {
  now: Date;
  log: NightlyLog;
  repositories: number;
  partial: AggregatePartial;
  invalidFiles: InvalidFile[];
  /** Repositories without the data branch (counted as no sessions). */
  missingBranch: string[];
  /** Repositories whose default branch could not be read: no experiments from them. */
  unreadableDefaultBranch: string[];
  /** Repositories whose sessions came from the previous partial (data branch unchanged). */
  reused: string[];
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
  const begun = performance.now();
  const previous = options.previousPartial === undefined ? undefined : await readPreviousPartial(options.previousPartial, log);
  const previousSeconds = (performance.now() - begun) / 1000;
  // Only a tip read from the same branch counts: another data-branch input names other commits.
  const previousTips = new Map((previous?.sources ?? []).filter((source) => source.dataRef === options.dataBranch && source.tip !== null).map((source) => [source.repository, source.tip]));
  const previousRows = rowsByBlob(previous, options.dataBranch);
  const started = performance.now();
  // Summaries go into the builder as each branch is read, so no one holds them all at once.
  const builder = new PartialBuilder({ timezone: options.timezone, builtBy: TOKENLEDGER_VERSION, developers: options.developers });
  const feeds = new Map<string, SourceFeed>();
  const feedOf = (repository: string, tip: string | null): SourceFeed => {
    let feed = feeds.get(repository);
    if (!feed) feeds.set(repository, (feed = builder.source(repository, options.dataBranch, tip)));
    return feed;
  };
  const readCounts = new Map<string, number>();
  const ledgers = await fetchLedgers(options.repositories, {
    dataBranch: options.dataBranch,
    token: options.token,
    serverUrl: options.serverUrl,
    tempDir: options.tempDir,
    ...(options.gitCache === undefined ? {} : { gitCache: options.gitCache }),
    trailers: { since: now.getTime() - (options.strategyWindowDays + TRAILER_LOOKBACK_DAYS) * DAY_MS },
    onMissingBranch: (repository) => {
      missingBranch.push(repository);
      log.warning(`${repository} has no ${options.dataBranch} branch yet: counted as no sessions`, { title: 'tokenledger: no data branch' });
    },
    reuse: (repository, tip) => previousTips.get(repository) === tip,
    known: (repository) => {
      const rows = previousRows.get(repository);
      return rows && rows.size > 0 ? new Set(rows.keys()) : undefined;
    },
    consume: (repository, tip) => {
      const feed = feedOf(repository, tip);
      return (stored) => {
        readCounts.set(repository, (readCounts.get(repository) ?? 0) + 1);
        feed.addSummary(stored.summary, stored.blob);
      };
    },
    ...(options.readSummaries ? { read: options.readSummaries } : {}),
  });

  const invalidFiles: InvalidFile[] = [];
  let filesRead = 0;
  for (const ledger of ledgers) {
    if (ledger.reused) continue;
    const feed = feedOf(ledger.repository, ledger.tip);
    for (const file of ledger.contents.invalid) {
      invalidFiles.push({ repository: ledger.repository, path: file.path, reason: file.reason });
      log.warning(`${ledger.repository}: ${file.path} on ${ledger.dataBranch} skipped: ${file.reason}`, { title: `tokenledger: invalid summary in ${ledger.repository}`, file: file.path });
      feed.skipInvalid();
    }
    // Summaries a custom reader returned rather than handed over (tests) count the same.
    for (const stored of ledger.contents.summaries) feed.addSummary(stored.summary, stored.blob);
    const known = previousRows.get(ledger.repository);
    const reusedRows = (ledger.contents.skipped ?? []).flatMap((blob) => known?.get(blob) ?? []);
    for (const row of reusedRows) feed.addRow(row);
    const read = (readCounts.get(ledger.repository) ?? 0) + ledger.contents.summaries.length + ledger.contents.invalid.length;
    filesRead += read;
    if (reusedRows.length > 0) log.info(`tokenledger: ${ledger.repository}: ${reusedRows.length} unchanged files reused from the previous partial, ${read} read`);
  }
  const reused = ledgers.filter((ledger) => ledger.reused).map((ledger) => ledger.repository);
  if (previous && reused.length > 0) builder.addPartial(reusedPart(previous, reused, options));
  log.info(`tokenledger: ${ledgers.length} data branches fetched and ${filesRead} files read in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const repository of reused) log.info(`tokenledger: ${repository}: ${options.dataBranch} unchanged since the previous partial, its sessions reused without reading the branch`);
  const partial = withStrategyEvents(builder.finish(), strategyEventsOf(ledgers));
  log.info(`tokenledger: ${partial.sessions.length} sessions aggregated in ${((performance.now() - begun) / 1000).toFixed(1)} s (reading the previous partial ${previousSeconds.toFixed(1)} s)`);

  const unreadableDefaultBranch: string[] = [];
  for (const ledger of ledgers) {
    if (ledger.trailers === undefined || 'events' in ledger.trailers) continue;
    unreadableDefaultBranch.push(ledger.repository);
    log.warning(`${ledger.repository}: default branch not readable, so no experiments from it: ${ledger.trailers.error}`, { title: 'tokenledger: no strategy trailers' });
  }
  return { now, log, repositories: ledgers.length, partial, invalidFiles, missingBranch, unreadableDefaultBranch, reused };
}

/**
 * The previous partial's session rows by repository and blob, for files still on a branch that
 * moved. Only rows read from the same data branch count, as for the tips.
 */
function rowsByBlob(previous: AggregatePartial | undefined, dataBranch: string): Map<string, Map<string, SessionRow>> {
  const byRepository = new Map<string, Map<string, SessionRow>>();
  if (!previous) return byRepository;
  const sameBranch = new Set(previous.sources.filter((source) => source.dataRef === dataBranch).map((source) => source.repository));
  for (const row of previous.sessions) {
    if (row.blob === undefined || !sameBranch.has(row.repository)) continue;
    let rows = byRepository.get(row.repository);
    if (!rows) byRepository.set(row.repository, (rows = new Map()));
    rows.set(row.blob, row);
  }
  return byRepository;
}

/** The events each repository's default branch gave, for the partial's sources (`merge` needs them). */
function strategyEventsOf(ledgers: readonly FetchedLedger[]): Map<string, PartialStrategyEvent[]> {
  const events = new Map<string, PartialStrategyEvent[]>();
  for (const ledger of ledgers) {
    if (ledger.trailers && 'events' in ledger.trailers) events.set(ledger.repository, partialStrategyEvents(ledger.trailers.events));
  }
  return events;
}
