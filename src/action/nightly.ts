/**
 * The nightly `report`: fetch every repository's data branch, aggregate the valid summaries into
 * one partial (collect.ts, shared with `pr-comment` and `partial`), then `publishReport`: write it
 * where the site reads it and describe the week for the job summary. `merge` (shards.ts) ends
 * with the same `publishReport`, so a sharded night publishes exactly what one report would.
 * Plain functions of typed options: the Action's entry only reads inputs and reports results.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Experiment } from '../aggregate/experiments.js';
import { weeklyDeltas, type AggregatePartial, type Delta, type MetricDeltas, type WeeklyDeltas } from '../aggregate/index.js';
import { escapeMarkdown } from '../report/pr-comment-escape.js';
import { dayKeyIn, isoWeek } from '../dates.js';
import { packageRoot } from '../package-root.js';
import { buildSite, type BuiltSite } from '../site/build.js';
import { writePartialFile } from '../aggregate/partial-file.js';
import { collectLedgers, type CollectOptions, type InvalidFile, type NightlyLog } from './collect.js';
import { renderExperiments } from './experiments-summary.js';
import type { ReportOptions } from './inputs.js';
import { judgeExperiments } from '../aggregate/judge.js';

export type { InvalidFile, NightlyLog } from './collect.js';

export type NightlyOptions = CollectOptions;

export interface NightlyReport {
  partial: AggregatePartial;
  deltas: WeeklyDeltas;
  /** Sessions aggregated: valid summaries after duplicates of one id were resolved. */
  sessions: number;
  /** The invalid files this run read itself, with paths (none for `merge`). */
  invalidFiles: InvalidFile[];
  /** All invalid files behind the partial (its sources' counts), including shards' and reused ones. */
  invalidFileCount: number;
  /** Repositories without the data branch (counted as no sessions). */
  missingBranch: string[];
  /** The `partial-file` input: outside the site, for the next night's `previous-partial`. */
  partialFile: string;
  /** The site built in `siteDir`. */
  site: BuiltSite;
  /** Strategy experiments judged from default-branch trailers (DESIGN.md §7). */
  experiments: Experiment[];
  /** Repositories whose default branch could not be read: no experiments from them. */
  unreadableDefaultBranch: string[];
  /** `<siteDir>/data/experiments.json`. */
  experimentsFile: string;
  /** The job summary (Markdown with HTML tables); every value from data is escaped. */
  summaryMarkdown: string;
}

export async function runNightlyReport(options: NightlyOptions): Promise<NightlyReport> {
  const collected = await collectLedgers(options);
  const { experiments } = judgeExperiments(collected.partial, options);
  return publishReport(options, { ...collected, experiments });
}

/** What `publishReport` writes and summarizes: an aggregate and what was left out of it. */
export interface Aggregated {
  now: Date;
  log: NightlyLog;
  partial: AggregatePartial;
  invalidFiles: InvalidFile[];
  missingBranch: string[];
  experiments: Experiment[];
  unreadableDefaultBranch: string[];
}

export type PublishOptions = Pick<ReportOptions, 'siteDir' | 'partialFile' | 'pathPrefix' | 'siteTitle' | 'timezone' | 'developers' | 'minGroupSize'>;

/**
 * Builds the site in `siteDir`, writes the partial to `partialFile` (outside the site: it holds
 * per-session rows and developer ids, which a published site must not), and renders the job
 * summary.
 */
export async function publishReport(options: PublishOptions, aggregated: Aggregated): Promise<NightlyReport> {
  const { now, log, partial, invalidFiles, missingBranch, experiments, unreadableDefaultBranch } = aggregated;
  const deltas = weeklyDeltas(partial, { now });
  const invalidFileCount = countInvalid(partial);

  const partialFile = options.partialFile;
  await mkdir(path.dirname(partialFile), { recursive: true });
  await writePartialFile(partialFile, partial);
  const site = await buildSite(partial, experiments, {
    outDir: options.siteDir,
    templatesDir: path.join(packageRoot(), 'site'),
    title: options.siteTitle,
    pathPrefix: options.pathPrefix,
    timezone: options.timezone,
    developers: options.developers,
    minGroupSize: options.minGroupSize,
    now,
  });
  const experimentsFile = path.join(options.siteDir, 'data', 'experiments.json');
  await writeFile(experimentsFile, `${JSON.stringify({ generatedAt: now.toISOString(), experiments })}\n`);
  const { timings } = site;
  log.info(`tokenledger: ${partial.sessions.length} sessions from ${partial.sources.length} repositories, ${invalidFileCount} invalid files skipped; wrote ${partialFile} and a site of ${site.pages} pages and ${site.charts} charts in ${options.siteDir} (page data ${timings.model} ms, charts ${timings.charts} ms, Eleventy ${timings.eleventy} ms)`);

  const summaryMarkdown = `${renderSummary(partial, deltas, invalidFiles, missingBranch)}\n${renderExperiments(experiments, unreadableDefaultBranch)}\n`;
  return { partial, deltas, sessions: partial.sessions.length, invalidFiles, invalidFileCount, missingBranch, partialFile, site, experiments, unreadableDefaultBranch, experimentsFile, summaryMarkdown };
}

/** Invalid files behind a partial: its sources' counts (a partial keeps counts, not paths). */
export function countInvalid(partial: AggregatePartial): number {
  return partial.sources.reduce((sum, source) => sum + source.invalidFiles, 0);
}

/** The job summary: the week overall and per repository, then what was skipped. */
export function renderSummary(partial: AggregatePartial, deltas: WeeklyDeltas, invalid: readonly InvalidFile[], missingBranch: readonly string[]): string {
  const invalidCount = countInvalid(partial);
  const lines = [
    `## tokenledger: week ${escapeMarkdown(deltas.isoWeek.current)} vs ${escapeMarkdown(deltas.isoWeek.previous)}`,
    '',
    `${partial.sessions.length} sessions aggregated from ${partial.sources.length} repositories (${partial.duplicateSessions} duplicate captures dropped, ${invalidCount} invalid files skipped). Time zone ${escapeMarkdown(partial.timezone)}.`,
    '',
    weekTable(deltas),
    '',
    agentLine(partial, deltas),
  ];
  if (missingBranch.length > 0) lines.push('', '### Repositories without a data branch', '', ...missingBranch.map((name) => `- ${escapeMarkdown(name)}`));
  if (invalidCount > 0) {
    lines.push('', '### Invalid files (skipped)', '', ...invalid.map((file) => `- ${escapeMarkdown(file.repository)}: <code>${escapeMarkdown(file.path)}</code>: ${escapeMarkdown(file.reason)}`));
    // The files a shard (or a reused night) read were named in that run's warnings.
    const unnamed = invalidCount - invalid.length;
    if (unnamed > 0) lines.push(`- ${unnamed} more, named in the warnings of the run that read them`);
  }
  return `${lines.join('\n')}\n`;
}

/** This ISO week's tokens, cost and sessions per agent, largest first: teams mix agents. */
function agentLine(partial: AggregatePartial, deltas: WeeklyDeltas): string {
  const dayOf = dayKeyIn(partial.timezone);
  const agents = new Map<string, { tokens: number; costUSD: number; sessions: number }>();
  for (const row of partial.sessions) {
    if (isoWeek(dayOf(Date.parse(row.startedAt))) !== deltas.isoWeek.current) continue;
    const entry = agents.get(row.agent) ?? { tokens: 0, costUSD: 0, sessions: 0 };
    entry.tokens += row.tokens.total;
    entry.costUSD += row.costUSD;
    entry.sessions++;
    agents.set(row.agent, entry);
  }
  if (agents.size === 0) return `By agent, week ${escapeMarkdown(deltas.isoWeek.current)}: no sessions yet.`;
  const parts = [...agents].sort((a, b) => b[1].tokens - a[1].tokens).map(([agent, entry]) => `${escapeMarkdown(agent)} ${entry.tokens.toLocaleString('en-US')} tokens ($${entry.costUSD.toFixed(2)}, ${entry.sessions} sessions)`);
  return `By agent, week ${escapeMarkdown(deltas.isoWeek.current)}: ${parts.join(' · ')}.`;
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
