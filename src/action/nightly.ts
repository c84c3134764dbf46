/**
 * The nightly `report`: fetch every repository's data branch, aggregate the valid summaries into
 * one partial, write it where the site reads it, and describe the week for the job summary.
 * A plain function of typed options: the Action's entry only reads inputs and reports results.
 *
 * A damaged file never fails the night: anyone who can push can write the data branch, so one bad
 * file must not hide everyone else's numbers. It becomes a warning annotation and is skipped.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { buildExperiments, type Experiment, type RepositoryEvents } from '../aggregate/experiments.js';
import { buildPartial, weeklyDeltas, type AggregatePartial, type Delta, type MetricDeltas, type PartialInput, type WeeklyDeltas } from '../aggregate/index.js';
import { escapeMarkdown } from '../report/pr-comment-escape.js';
import { TOKENLEDGER_VERSION } from '../version.js';
import { renderExperiments } from './experiments-summary.js';
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

export interface NightlyOptions extends ReportOptions {
  /** "Now" for the weekly windows. */
  now?: Date;
  /** Where annotations and notices go; the Actions log by default. */
  log?: NightlyLog;
}

export interface NightlyReport {
  partial: AggregatePartial;
  deltas: WeeklyDeltas;
  /** Sessions aggregated: valid summaries after duplicates of one id were resolved. */
  sessions: number;
  invalidFiles: InvalidFile[];
  /** Repositories without the data branch (counted as no sessions). */
  missingBranch: string[];
  /** `<siteDir>/data/partial.json`. */
  partialFile: string;
  /** Strategy experiments judged from default-branch trailers (DESIGN.md §7). */
  experiments: Experiment[];
  /** Repositories whose default branch could not be read: no experiments from them. */
  unreadableDefaultBranch: string[];
  /** `<siteDir>/data/experiments.json`. */
  experimentsFile: string;
  /** The job summary (Markdown with HTML tables); every value from data is escaped. */
  summaryMarkdown: string;
}

const actionsLog: NightlyLog = {
  warning: (message, properties) => core.warning(message, properties),
  info: (message) => core.info(message),
};

/** Trailers older than the window plus a year cannot start an experiment worth judging tonight. */
const TRAILER_LOOKBACK_DAYS = 365;
const DAY_MS = 86_400_000;

export async function runNightlyReport(options: NightlyOptions): Promise<NightlyReport> {
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
  const deltas = weeklyDeltas(partial, { now });

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

  const partialFile = path.join(options.siteDir, 'data', 'partial.json');
  await mkdir(path.dirname(partialFile), { recursive: true });
  await writeFile(partialFile, `${JSON.stringify(partial)}\n`);
  const experimentsFile = path.join(options.siteDir, 'data', 'experiments.json');
  await writeFile(experimentsFile, `${JSON.stringify({ generatedAt: now.toISOString(), experiments })}\n`);
  log.info(`tokenledger: ${partial.sessions.length} sessions from ${ledgers.length} repositories, ${invalidFiles.length} invalid files skipped; wrote ${partialFile}`);

  const summaryMarkdown = `${renderSummary(partial, deltas, invalidFiles, missingBranch)}\n${renderExperiments(experiments, unreadableDefaultBranch)}\n`;
  return { partial, deltas, sessions: partial.sessions.length, invalidFiles, missingBranch, partialFile, experiments, unreadableDefaultBranch, experimentsFile, summaryMarkdown };
}

/** The job summary: the week overall and per repository, then what was skipped. */
export function renderSummary(partial: AggregatePartial, deltas: WeeklyDeltas, invalid: readonly InvalidFile[], missingBranch: readonly string[]): string {
  const lines = [
    `## tokenledger: week ${escapeMarkdown(deltas.isoWeek.current)} vs ${escapeMarkdown(deltas.isoWeek.previous)}`,
    '',
    `${partial.sessions.length} sessions aggregated from ${partial.sources.length} repositories (${partial.duplicateSessions} duplicate captures dropped, ${invalid.length} invalid files skipped). Time zone ${escapeMarkdown(partial.timezone)}.`,
    '',
    weekTable(deltas),
  ];
  if (missingBranch.length > 0) lines.push('', '### Repositories without a data branch', '', ...missingBranch.map((name) => `- ${escapeMarkdown(name)}`));
  if (invalid.length > 0) {
    lines.push('', '### Invalid files (skipped)', '', ...invalid.map((file) => `- ${escapeMarkdown(file.repository)}: <code>${escapeMarkdown(file.path)}</code>: ${escapeMarkdown(file.reason)}`));
  }
  return `${lines.join('\n')}\n`;
}

const METRICS: { key: keyof MetricDeltas; label: string; format: (value: number) => string }[] = [
  { key: 'tokens', label: 'Tokens', format: (value) => value.toLocaleString('en-US') },
  { key: 'costUSD', label: 'Cost (USD)', format: (value) => `$${value.toFixed(2)}` },
  { key: 'sessions', label: 'Sessions', format: (value) => value.toLocaleString('en-US') },
  { key: 'medianTokensPerSession', label: 'Median tokens / session', format: (value) => Math.round(value).toLocaleString('en-US') },
  { key: 'cacheReadShare', label: 'Cache-read share', format: (value) => `${(value * 100).toFixed(1)}%` },
];

/** An HTML table (GitHub renders it inside Markdown); cells are escaped, since they are raw HTML. */
function weekTable(deltas: WeeklyDeltas): string {
  const header = ['Repository', ...METRICS.map((metric) => metric.label)];
  const scopes = [deltas.overall, ...deltas.repositories];
  const rows = scopes.map((scope) => [scope.repository === null ? 'All repositories' : scope.repository, ...METRICS.map((metric) => deltaCell(scope.isoWeek[metric.key], metric.format))]);
  const cell = (tag: 'th' | 'td', text: string) => `<${tag}>${escapeMarkdown(text)}</${tag}>`;
  return [
    '<table>',
    `<tr>${header.map((text) => cell('th', text)).join('')}</tr>`,
    ...rows.map((row) => `<tr>${row.map((text) => cell('td', text)).join('')}</tr>`),
    '</table>',
  ].join('\n');
}

function deltaCell(delta: Delta, format: (value: number) => string): string {
  const change = delta.change === null ? (delta.current > 0 ? 'new' : '–') : `${delta.change >= 0 ? '+' : ''}${(delta.change * 100).toFixed(1)}%`;
  return `${format(delta.current)} (${change} vs ${format(delta.previous)})`;
}
