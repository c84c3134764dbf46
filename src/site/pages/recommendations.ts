/**
 * Recommendations computed from the data, each with the numbers that triggered it, so a team can
 * check the reasoning. Thresholds are deliberately plain; a rule that does not fire says nothing.
 */
import { primaryModel } from '../../aggregate/daily.js';
import type { SessionRow } from '../../aggregate/index.js';
import { quantile } from '../../aggregate/statistics/index.js';
import { modelPrice } from '../../summary/price.js';
import { formatDuration, formatShare, formatTokens, formatUSD, formatCount } from '../format.js';
import { inputSideTokens } from '../../sources/events.js';

export interface Recommendation {
  id: string;
  title: string;
  advice: string;
  /** The figures behind it, as label/value pairs. */
  evidence: { label: string; value: string }[];
}

const LOW_CACHE_SHARE = 0.5;
const EXPLORATION_HEAVY = 0.4;
const LONG_SESSION_SECONDS = 2 * 3600;
const MIN_SESSIONS = 20;
/** Models priced like Opus (4.5 and later: $5 per million input tokens; earlier ones $15) and above. */
const EXPENSIVE_INPUT_PRICE = 5;

export function recommendations(sessions: readonly SessionRow[], windowLabel: string): Recommendation[] {
  if (sessions.length < MIN_SESSIONS) return [];
  const out: Recommendation[] = [];
  const sum = (pick: (row: SessionRow) => number) => sessions.reduce((total, row) => total + pick(row), 0);
  const total = sum((row) => row.tokens.total);

  const cacheRead = sum((row) => row.tokens.cacheRead);
  const inputSide = sum((row) => inputSideTokens(row.tokens));
  const share = inputSide === 0 ? 1 : cacheRead / inputSide;
  if (share < LOW_CACHE_SHARE) {
    out.push({
      id: 'low-cache-read-share',
      title: 'Low cache-read share',
      advice: 'Most input is sent fresh instead of read from the prompt cache. Keep long instructions and context stable at the start of the prompt, avoid editing CLAUDE.md mid-session, and prefer continuing sessions to starting new ones for the same task.',
      evidence: [
        { label: `Cache-read share, ${windowLabel}`, value: formatShare(share) },
        { label: 'Threshold', value: `below ${formatShare(LOW_CACHE_SHARE)}` },
        { label: 'Fresh input tokens', value: formatTokens(sum((row) => row.tokens.input)) },
      ],
    });
  }

  const exploration = sum((row) => row.phases.exploration?.tokens ?? 0);
  if (total > 0 && exploration / total > EXPLORATION_HEAVY) {
    const heavy = sessions.filter((row) => row.tokens.total > 0 && (row.phases.exploration?.tokens ?? 0) / row.tokens.total > EXPLORATION_HEAVY).length;
    out.push({
      id: 'exploration-heavy',
      title: 'Exploration-heavy sessions',
      advice: 'A large share of tokens goes to reading and searching the code. A maintained index or architecture note the agent reads first (and an experiment tagged `Token-Strategy: index-first` to measure it) usually cuts this.',
      evidence: [
        { label: `Exploration share of tokens, ${windowLabel}`, value: formatShare(exploration / total) },
        { label: 'Sessions over the threshold', value: `${formatCount(heavy)} of ${formatCount(sessions.length)}` },
        { label: 'Threshold', value: `above ${formatShare(EXPLORATION_HEAVY)}` },
      ],
    });
  }

  let expensiveExplorationUSD = 0;
  let expensiveSessions = 0;
  for (const row of sessions) {
    const model = primaryModel(row);
    const price = model === undefined ? undefined : modelPrice(model);
    if (!price || price.input < EXPENSIVE_INPUT_PRICE) continue;
    const cost = (row.phases.exploration?.costUSD ?? 0) + (row.phases.planning?.costUSD ?? 0);
    if (cost > 0) {
      expensiveExplorationUSD += cost;
      expensiveSessions++;
    }
  }
  if (expensiveExplorationUSD > 0 && expensiveExplorationUSD >= 0.1 * sum((row) => row.costUSD)) {
    out.push({
      id: 'expensive-model-simple-phases',
      title: 'An expensive model on simple phases',
      advice: 'Searching and reading run on the most expensive model. Delegating exploration to a subagent on a smaller model (Haiku or Sonnet) typically costs a fifth to a third as much for the same tokens.',
      evidence: [
        { label: `Exploration and planning cost on Opus-priced models, ${windowLabel}`, value: formatUSD(expensiveExplorationUSD) },
        { label: 'Share of all cost', value: formatShare(expensiveExplorationUSD / Math.max(1e-9, sum((row) => row.costUSD))) },
        { label: 'Sessions', value: formatCount(expensiveSessions) },
      ],
    });
  }

  const long = sessions.filter((row) => row.durationSeconds > LONG_SESSION_SECONDS);
  const longTokens = long.reduce((acc, row) => acc + row.tokens.total, 0);
  if (long.length > 0 && total > 0 && longTokens / total > 0.25) {
    out.push({
      id: 'very-long-sessions',
      title: 'Very long sessions',
      advice: 'Long sessions re-read an ever larger context on every request. Splitting work into shorter sessions with a written hand-over (or clearing context between tasks) keeps each request small.',
      evidence: [
        { label: `Sessions longer than ${formatDuration(LONG_SESSION_SECONDS)}, ${windowLabel}`, value: `${formatCount(long.length)} of ${formatCount(sessions.length)}` },
        { label: 'Their share of tokens', value: formatShare(longTokens / total) },
        { label: 'Median tokens of a long session', value: formatTokens(quantile(long.map((row) => row.tokens.total), 0.5)) },
        { label: 'Median tokens of the others', value: formatTokens(quantile(sessions.filter((row) => row.durationSeconds <= LONG_SESSION_SECONDS).map((row) => row.tokens.total), 0.5) || 0) },
      ],
    });
  }

  const writes = sum((row) => row.tokens.cacheWrite5m + row.tokens.cacheWrite1h);
  if (writes > 0 && cacheRead < writes * 2) {
    out.push({
      id: 'cache-writes-not-read',
      title: 'Cache writes that are rarely read',
      advice: 'Writing to the prompt cache costs more than fresh input and only pays off when the cached prefix is read again. Few reads per write suggests prompts change between requests, or sessions end right after a write.',
      evidence: [
        { label: `Cache reads per cache-written token, ${windowLabel}`, value: (cacheRead / writes).toFixed(2) },
        { label: 'Threshold', value: 'below 2' },
      ],
    });
  }
  return out;
}
