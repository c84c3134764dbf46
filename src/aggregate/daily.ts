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

/**
 * A day's row as it is added up. Most rows (in the bench, most of a million) hold one session:
 * such a row takes that session's tokens, phases and tools objects as they are (rows are read,
 * never changed) and copies them only when a second session is added: 56% less memory for the
 * daily rows of 100,000 bench sessions (54 MB to 23 MB).
 */
interface DailyAccumulator {
  row: DailyRow;
  /** The last session counted in `row.sessions`, so a model listed twice counts once. */
  lastSession: string;
  /** `row.tokens` and `row.phases` are a session's own objects: copy before adding to them. */
  sharedTokens: boolean;
  sharedPhases: boolean;
  /** A session's tools, taken as they are while no other session added any; else null. */
  sharedTools: SessionRow['tools'] | null;
  /**
   * Tool names and their calls, turned into `row.tools` at the end: adding keys one by one to
   * objects of ever different shapes was the slowest step, and a Map per row costs more memory.
   * Names are interned (`toSessionRow`), so `indexOf` mostly compares pointers.
   */
  toolNames: string[];
  toolCalls: number[];
}

/** A new row's phases and tools until a session adds some; never changed. */
const NO_PHASES: DailyRow['phases'] = Object.freeze({});
const NO_TOOLS: DailyRow['tools'] = Object.freeze({});

/** Map of `key` in `map`, made on first use. */
function level<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/**
 * Daily rows by date, repository and developer (maps of the rows' own strings, nested in the
 * rows' sort order), then a short list of the (model, agent) rows of that developer's day: a
 * Map per day and model held one or two rows, and a million sessions made hundreds of thousands.
 */
type DailyIndex = Map<string, Map<string, Map<string | null, DailyAccumulator[]>>>;

/**
 * Daily rows of `sessions`, sorted by date, repository, developer (none first), model and
 * agent. Callers pass sessions sorted by id: the cost sums then add in the same order however
 * the partial was put together.
 */
export function deriveDailyRows(sessions: readonly SessionRow[], timezone: string): DailyRow[] {
  const dayKey = dayKeyIn(timezone);
  // Nested maps rather than one map of joined keys: the rows' strings are interned, so each
  // lookup reuses a hash, where a joined key is a new string to build and hash per model.
  const index: DailyIndex = new Map();
  for (const session of sessions) {
    const date = dayKey(Date.parse(session.startedAt));
    const day = level(level(level(index, date, () => new Map()), session.repository, () => new Map()), session.developer, (): DailyAccumulator[] => []);
    // Cleared once the phases and tools are added, so a model listed twice adds them once.
    let primary = primaryModel(session);
    for (const usage of session.models) {
      let entry = day.find((candidate) => candidate.row.model === usage.model && candidate.row.agent === session.agent);
      if (!entry) {
        const row: DailyRow = {
          date,
          repository: session.repository,
          developer: session.developer,
          model: usage.model,
          agent: session.agent,
          tokens: usage.tokens,
          costUSD: 0,
          unpricedRequests: 0,
          sessions: 0,
          requests: 0,
          phases: NO_PHASES,
          tools: NO_TOOLS,
        };
        day.push((entry = { row, lastSession: '', sharedTokens: true, sharedPhases: false, sharedTools: null, toolNames: [], toolCalls: [] }));
      } else {
        if (entry.sharedTokens) {
          entry.row.tokens = { ...entry.row.tokens };
          entry.sharedTokens = false;
        }
        addSessionTokens(entry.row.tokens, usage.tokens);
      }
      const row = entry.row;
      if (usage.costUSD === null) row.unpricedRequests += usage.requests;
      else row.costUSD += usage.costUSD;
      row.requests += usage.requests;
      if (usage.requests > 0 && entry.lastSession !== session.id) {
        row.sessions++;
        entry.lastSession = session.id;
      }
      if (usage.model === primary) {
        addSessionPhases(entry, session.phases);
        addSessionTools(entry, session.tools);
        primary = undefined;
      }
    }
  }
  // Read out in key order, each level's keys sorted: far fewer comparisons than sorting the rows.
  const rows: DailyRow[] = [];
  for (const date of sortedKeys(index)) {
    const byRepository = index.get(date)!;
    for (const repository of sortedKeys(byRepository)) {
      const byDeveloper = byRepository.get(repository)!;
      for (const developer of sortedKeys(byDeveloper)) {
        const day = byDeveloper.get(developer)!.sort((a, b) => compare(a.row.model, b.row.model) || compare(a.row.agent, b.row.agent));
        for (const entry of day) rows.push(finishRow(entry));
      }
    }
  }
  return rows;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The keys of `map` in code-point order, null (no developer) first. */
function sortedKeys<K extends string | null>(map: Map<K, unknown>): K[] {
  return [...map.keys()].sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1));
}

function finishRow({ row, sharedPhases, sharedTools, toolNames, toolCalls }: DailyAccumulator): DailyRow {
  row.costUSD = roundUSD(row.costUSD);
  if (!sharedPhases) row.phases = roundPhases(row.phases);
  if (sharedTools) {
    row.tools = sharedTools;
    return row;
  }
  if (toolNames.length > 0) row.tools = {};
  // Sorted, as on session rows: one object shape per set of tools. Insertion sort of the two
  // short lists in place, so finishing a million sessions' days makes no more arrays.
  for (let i = 1; i < toolNames.length; i++) {
    const name = toolNames[i]!;
    const calls = toolCalls[i]!;
    let j = i - 1;
    for (; j >= 0 && toolNames[j]! > name; j--) {
      toolNames[j + 1] = toolNames[j]!;
      toolCalls[j + 1] = toolCalls[j]!;
    }
    toolNames[j + 1] = name;
    toolCalls[j + 1] = calls;
  }
  toolNames.forEach((name, i) => (row.tools[name] = toolCalls[i]!));
  return row;
}

/**
 * Adds a session's phases to the row: the first session's own object when its costs are
 * rounded and its phases in `PHASES` order (as `toSessionRow` makes them), so the row is what
 * adding and rounding would have made; else, or once a second session comes, a copy.
 */
function addSessionPhases(entry: DailyAccumulator, phases: SessionRow['phases']): void {
  const row = entry.row;
  if (row.phases === NO_PHASES && isFinished(phases)) {
    row.phases = phases;
    entry.sharedPhases = true;
    return;
  }
  if (row.phases === NO_PHASES || entry.sharedPhases) {
    row.phases = copyPhases(row.phases);
    entry.sharedPhases = false;
  }
  addPhases(row.phases, phases);
}

function isFinished(phases: SessionRow['phases']): boolean {
  let previous = -1;
  for (const name in phases) {
    const at = PHASES.indexOf(name as (typeof PHASES)[number]);
    const phase = phases[name as keyof SessionRow['phases']]!;
    if (at < previous || roundUSD(phase.costUSD) !== phase.costUSD) return false;
    previous = at;
  }
  return true;
}

function copyPhases(phases: DailyRow['phases']): DailyRow['phases'] {
  const copy: DailyRow['phases'] = {};
  for (const name of PHASES) {
    const phase = phases[name];
    if (phase) copy[name] = { ...phase };
  }
  return copy;
}

/** Adds a session's tools: taken as they are while they are the row's only ones and sorted. */
function addSessionTools(entry: DailyAccumulator, tools: SessionRow['tools']): void {
  if (entry.sharedTools === null && entry.toolNames.length === 0 && isSorted(tools)) {
    entry.sharedTools = tools;
    return;
  }
  if (entry.sharedTools !== null) {
    addToolCalls(entry, entry.sharedTools);
    entry.sharedTools = null;
  }
  addToolCalls(entry, tools);
}

function addToolCalls(entry: DailyAccumulator, tools: SessionRow['tools']): void {
  for (const tool in tools) {
    const at = entry.toolNames.indexOf(tool);
    if (at === -1) {
      entry.toolNames.push(tool);
      entry.toolCalls.push(tools[tool]!);
    } else entry.toolCalls[at]! += tools[tool]!;
  }
}

function isSorted(tools: SessionRow['tools']): boolean {
  let previous = '';
  for (const name in tools) {
    if (name < previous) return false;
    previous = name;
  }
  return true;
}

function addPhases(into: DailyRow['phases'], from: SessionRow['phases']): void {
  for (const name of PHASES) {
    const phase = from[name];
    if (!phase) continue;
    const target: PartialPhase = (into[name] ??= { toolCalls: 0, tokens: 0, costUSD: 0 });
    target.toolCalls += phase.toolCalls;
    target.tokens += phase.tokens;
    target.costUSD += phase.costUSD;
  }
}

/**
 * Rounds each phase's cost in place and puts the phases in `PHASES` order, making a new object
 * only when a day's sessions added them in another order: a million sessions' days made new
 * phase objects for every row, garbage made just when the heap was at its fullest.
 */
function roundPhases(phases: DailyRow['phases']): DailyRow['phases'] {
  let inOrder = true;
  let previous = -1;
  for (const name in phases) {
    const phase = phases[name as keyof DailyRow['phases']]!;
    phase.costUSD = roundUSD(phase.costUSD);
    const at = PHASES.indexOf(name as (typeof PHASES)[number]);
    if (at < previous) inOrder = false;
    previous = at;
  }
  if (inOrder) return phases;
  const out: DailyRow['phases'] = {};
  for (const name of PHASES) {
    const phase = phases[name];
    if (phase) out[name] = phase;
  }
  return out;
}
