/**
 * The body of the sticky pull request comment (issue 4, item 7). Pure: it takes what the Action
 * already computed (the repository's weekly deltas, the sessions linked through the PR's commits,
 * the experiments' estimates) and returns Markdown, so it is tested as a string with no network,
 * like changesets/action's `getVersionPrBody`.
 *
 * Every value that comes from data goes through `escapeMarkdown`; numbers are formatted here and
 * need none. Nothing free-text from a session is shown: only times, counts, costs and model ids.
 */
import type { SessionRow } from '../aggregate/partial-schema.js';
import type { StrategyComparison } from '../aggregate/statistics/compare.js';
import type { Delta, Direction, ScopeDeltas } from '../aggregate/weekly.js';
import { escapeMarkdown } from './pr-comment-escape.js';

/** Finds the comment again on the next run (with the author check in `upsertStickyComment`). */
export const PR_COMMENT_MARKER = '<!-- tokenledger:pr-comment -->';

/** GitHub rejects an issue comment body longer than this. */
export const MAX_COMMENT_LENGTH = 65_536;

/** Rows of the linked-sessions table; the count and totals above it cover all of them. */
export const MAX_SESSION_ROWS = 10;

/** Model ids shown per session row; a session rarely uses more, and a row should stay short. */
const MAX_MODELS_PER_ROW = 3;

/** One experiment as `compareStrategy` judged it, flattened. */
export interface ExperimentEstimate {
  slug: string;
  status: StrategyComparison['status'];
  /** After ÷ before; null when the status is `insufficient-data`. */
  ratio: number | null;
  low: number | null;
  high: number | null;
  nBefore: number;
  nAfter: number;
}

export interface PullRequestCommentInput {
  repository: string;
  /** The repository's entry of `weeklyDeltas(...).repositories`. */
  weekly: ScopeDeltas;
  /** Sessions whose commits include one of the pull request's commits. */
  linkedSessions: readonly SessionRow[];
  experiments: readonly ExperimentEstimate[];
  /** Absolute http(s) URL of the published site. */
  siteUrl?: string;
  /** ISO time the comment was built, shown in the footer. */
  generatedAt: string;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

const ARROWS: Record<Direction, string> = { up: '↑', down: '↓', flat: '→' };

/** What a cut left out, in the order things are cut. */
interface Cuts {
  sessionsTable: boolean;
  experimentsTable: boolean;
}

export function renderPullRequestComment(input: PullRequestCommentInput): string {
  // Cut the least useful part first: the linked sessions' totals stay, only their rows go.
  const attempts: Cuts[] = [
    { sessionsTable: false, experimentsTable: false },
    { sessionsTable: true, experimentsTable: false },
    { sessionsTable: true, experimentsTable: true },
  ];
  let body = '';
  for (const cuts of attempts) {
    body = compose(input, cuts);
    if (body.length <= MAX_COMMENT_LENGTH) return body;
  }
  // Only an absurd repository name or site URL gets here; the marker at the start survives.
  const note = `\n\n${cutNote('The rest of this comment')}\n`;
  return body.slice(0, MAX_COMMENT_LENGTH - note.length) + note;
}

function compose(input: PullRequestCommentInput, cuts: Cuts): string {
  const sections = [
    `${PR_COMMENT_MARKER}\n### Token usage in ${escapeMarkdown(input.repository)}`,
    weekSection(input.weekly),
    sessionsSection(input.linkedSessions, cuts.sessionsTable),
    experimentsSection(input.experiments, cuts.experimentsTable),
    footer(input),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function cutNote(what: string): string {
  return `_${what} was left out to keep this comment under GitHub's ${integer.format(MAX_COMMENT_LENGTH)}-character limit._`;
}

function weekSection(weekly: ScopeDeltas): string {
  const deltas = weekly.isoWeek;
  const row = (label: string, delta: Delta, format: (value: number) => string, change: (delta: Delta) => string) =>
    `| ${label} | ${format(delta.current)} | ${format(delta.previous)} | ${change(delta)} |`;
  return [
    '**This week vs last week**',
    '',
    '| | This week | Last week | Change |',
    '| --- | ---: | ---: | --- |',
    row('Tokens', deltas.tokens, formatInteger, relativeChange),
    row('Cost', deltas.costUSD, formatUsd, relativeChange),
    row('Sessions', deltas.sessions, formatInteger, relativeChange),
    row('Median tokens per session', deltas.medianTokensPerSession, formatInteger, relativeChange),
    row('Cache-read share', deltas.cacheReadShare, formatShare, pointChange),
  ].join('\n');
}

function formatInteger(value: number): string {
  return integer.format(Math.round(value));
}

function formatUsd(value: number): string {
  return usd.format(value);
}

function formatShare(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** `↑ +50.0%`; with nothing last week there is no percent to give. */
function relativeChange(delta: Delta): string {
  if (delta.change === null) return delta.current > 0 ? `${ARROWS.up} new` : `${ARROWS.flat} none`;
  return `${ARROWS[delta.direction]} ${signed(delta.change * 100)}%`;
}

/** A share moves in percentage points: 50% → 40% reads −10.0 pp, not −20%. */
function pointChange(delta: Delta): string {
  return `${ARROWS[delta.direction]} ${signed((delta.current - delta.previous) * 100)} pp`;
}

/** One decimal with an explicit sign, a typographic minus, and no sign on a rounded zero. */
function signed(value: number): string {
  const magnitude = Math.abs(value).toFixed(1);
  if (magnitude === '0.0') return magnitude;
  return `${value > 0 ? '+' : '−'}${magnitude}`;
}

function sessionsSection(sessions: readonly SessionRow[], cutTable: boolean): string {
  if (sessions.length === 0) return "**Sessions linked to this pull request:** none yet (no captured session made one of its commits).";
  const tokens = sessions.reduce((sum, row) => sum + row.tokens.total, 0);
  const cost = sessions.reduce((sum, row) => sum + row.costUSD, 0);
  const lines = [`**Sessions linked to this pull request:** ${formatInteger(sessions.length)} (${formatInteger(tokens)} tokens, ${formatUsd(cost)})`];
  if (cutTable) return [...lines, '', cutNote('The sessions table')].join('\n');

  // Newest first, the id breaking ties, so the same sessions always render the same rows.
  const shown = [...sessions].sort((a, b) => compareText(b.startedAt, a.startedAt) || compareText(a.id, b.id)).slice(0, MAX_SESSION_ROWS);
  lines.push('', '| Started (UTC) | Tokens | Cost | Models |', '| --- | ---: | ---: | --- |');
  for (const row of shown) lines.push(`| ${formatTime(row.startedAt)} | ${formatInteger(row.tokens.total)} | ${formatUsd(row.costUSD)} | ${formatModels(row)} |`);
  if (sessions.length > shown.length) lines.push('', `Showing the ${shown.length} most recent of ${formatInteger(sessions.length)}.`);
  return lines.join('\n');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `2026-05-04T10:00:00Z` → `2026-05-04 10:00`; rebuilt from a Date, so the text cannot carry markup. */
function formatTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '—' : new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}

/** The models with the most tokens first, at most three, the rest counted. */
function formatModels(row: SessionRow): string {
  const byTokens = [...row.models].sort((a, b) => b.tokens.total - a.tokens.total || compareText(a.model, b.model));
  const names = [...new Set(byTokens.map((usage) => usage.model))];
  if (names.length === 0) return '—';
  const shown = names.slice(0, MAX_MODELS_PER_ROW).map(escapeMarkdown).join(', ');
  return names.length > MAX_MODELS_PER_ROW ? `${shown} +${names.length - MAX_MODELS_PER_ROW} more` : shown;
}

function experimentsSection(experiments: readonly ExperimentEstimate[], cutTable: boolean): string {
  if (experiments.length === 0) return '';
  const lines = [`**Active experiments:** ${formatInteger(experiments.length)}`];
  if (cutTable) return [...lines, '', cutNote('The experiments table')].join('\n');
  lines.push('', '| Strategy | Sessions before / after | After ÷ before (95% CI) |', '| --- | ---: | --- |');
  for (const experiment of experiments) {
    lines.push(`| ${escapeMarkdown(experiment.slug)} | ${formatInteger(experiment.nBefore)} / ${formatInteger(experiment.nAfter)} | ${formatEstimate(experiment)} |`);
  }
  return lines.join('\n');
}

/** `0.70 (0.60–0.82), lower`: the verdict word only when the interval excludes 1. */
function formatEstimate(experiment: ExperimentEstimate): string {
  const { ratio, low, high } = experiment;
  if (experiment.status !== 'ok' || ratio === null || low === null || high === null) return 'insufficient data';
  const verdict = high < 1 ? 'lower' : low > 1 ? 'higher' : 'no clear change';
  return `${ratio.toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)}), ${verdict}`;
}

function footer(input: PullRequestCommentInput): string {
  const generated = `<sub>Data as of ${formatTime(input.generatedAt)} UTC, by tokenledger.</sub>`;
  return input.siteUrl === undefined ? generated : `[Full report](${linkTarget(input.siteUrl)})\n\n${generated}`;
}

/**
 * A link destination that cannot break out of `(...)`: only absolute http(s) URLs, serialised by
 * `URL` (which percent-encodes spaces, quotes and angle brackets), then parentheses, backslashes and
 * backticks encoded too: the query part may keep them, and each means something in a destination.
 */
function linkTarget(siteUrl: string): string {
  const url = URL.canParse(siteUrl) ? new URL(siteUrl) : null;
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new TypeError(`siteUrl must be an absolute http(s) URL, got ${JSON.stringify(siteUrl)}`);
  return url.href.replace(/[()\\`]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
