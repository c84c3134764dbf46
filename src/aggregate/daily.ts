/**
 * Session rows -> daily rows by (date, repository, developer, model, agent).
 *
 * A session's models, phases and tools are totals for the whole session, not per day, so the
 * whole session is attributed to the local day of its `startedAt`: a session running across
 * midnight counts on the day it started. Phases and tools are not split by model in a summary;
 * they go to the session's primary model (the one with the most tokens), so adding a day's rows
 * over models gives the session totals exactly, in whole numbers.
 */
import { dayKeyIn } from '../dates.js';
import { PHASES } from '../sources/phase.js';
import { addTokens } from '../sources/events.js';
import type { SessionTokens } from '../summary/schema.js';
import type { DailyRow, PartialPhase, SessionRow } from './partial-schema.js';

export function zeroSessionTokens(): SessionTokens {
  return { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, total: 0 };
}

/** Adds `b` into `a` in place. */
export function addSessionTokens(a: SessionTokens, b: SessionTokens): void {
  addTokens(a, b);
  a.total += b.total;
}

/** Rounds summed USD to the summaries' precision, so float noise does not show. */
export function roundUSD(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

/** The model with the most tokens; ties go to the first name in code-point order. */
export function primaryModel(row: SessionRow): string | undefined {
  let best: SessionRow['models'][number] | undefined;
  for (const model of row.models) {
    if (!best || model.tokens.total > best.tokens.total || (model.tokens.total === best.tokens.total && model.model < best.model)) best = model;
  }
  return best?.model;
}

interface DailyAccumulator {
  row: DailyRow;
  /** The last session counted in `row.sessions`, so a model listed twice counts once. */
  lastSession: string;
}

/**
 * Daily rows of `sessions`, sorted by key. Callers pass sessions sorted by id: the cost sums
 * then add in the same order however the partial was put together.
 */
export function deriveDailyRows(sessions: readonly SessionRow[], timezone: string): DailyRow[] {
  const dayKey = dayKeyIn(timezone);
  // Start times are rounded (to the hour by default), so most sessions share one with another.
  const days = new Map<string, string>();
  const dayOf = (startedAt: string) => {
    let day = days.get(startedAt);
    if (day === undefined) days.set(startedAt, (day = dayKey(Date.parse(startedAt))));
    return day;
  };
  const rows = new Map<string, DailyAccumulator>();
  for (const session of sessions) {
    const date = dayOf(session.startedAt);
    // Cleared once the phases and tools are added, so a model listed twice adds them once.
    let primary = primaryModel(session);
    for (const usage of session.models) {
      const key = `${date}\0${session.repository}\0${session.developer ?? '\u0001'}\0${usage.model}\0${session.agent}`;
      let entry = rows.get(key);
      if (!entry) {
        const row: DailyRow = {
          date,
          repository: session.repository,
          developer: session.developer,
          model: usage.model,
          agent: session.agent,
          tokens: zeroSessionTokens(),
          costUSD: 0,
          unpricedRequests: 0,
          sessions: 0,
          requests: 0,
          phases: {},
          tools: {},
        };
        rows.set(key, (entry = { row, lastSession: '' }));
      }
      const row = entry.row;
      addSessionTokens(row.tokens, usage.tokens);
      if (usage.costUSD === null) row.unpricedRequests += usage.requests;
      else row.costUSD += usage.costUSD;
      row.requests += usage.requests;
      if (usage.requests > 0 && entry.lastSession !== session.id) {
        row.sessions++;
        entry.lastSession = session.id;
      }
      if (usage.model === primary) {
        addPhases(row.phases, session.phases);
        for (const [tool, calls] of Object.entries(session.tools)) row.tools[tool] = (row.tools[tool] ?? 0) + calls;
        primary = undefined;
      }
    }
  }
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { row }]) => ({ ...row, costUSD: roundUSD(row.costUSD), phases: roundPhases(row.phases) }));
}

function addPhases(into: DailyRow['phases'], from: SessionRow['phases']): void {
  for (const name of PHASES) {
    const phase = from[name];
    if (!phase) continue;
    const target: PartialPhase = (into[name] ??= { toolCalls: 0, tokens: zeroSessionTokens(), costUSD: 0 });
    target.toolCalls += phase.toolCalls;
    addSessionTokens(target.tokens, phase.tokens);
    target.costUSD += phase.costUSD;
  }
}

function roundPhases(phases: DailyRow['phases']): DailyRow['phases'] {
  const out: DailyRow['phases'] = {};
  for (const name of PHASES) {
    const phase = phases[name];
    if (phase) out[name] = { ...phase, costUSD: roundUSD(phase.costUSD) };
  }
  return out;
}
