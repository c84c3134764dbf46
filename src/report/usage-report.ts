/**
 * Usage events -> the local report (`tokenledger report <kind>`): rows grouped by day, week,
 * month, session, project, model or phase, with totals and what reading saw. Pure.
 *
 * The JSON shape is a stable interface (documented in the README): field names follow ccusage's
 * (`inputTokens`, `cacheCreationTokens`, …) so scripts written for it keep working, and add the
 * split cache writes and `costUSD`.
 */
import { inputSideTokens, totalTokens, zeroTokens, addTokens, type ReadDiagnostics, type TokenCounts, type UsageEvent } from '../sources/events.js';
import { phaseShares, turnPhases } from '../summary/phases.js';
import { costOfResponse, PRICE_TABLE_VERSION } from '../summary/price.js';
import { dayKeyIn, isoWeek, monthOf } from '../dates.js';

export const REPORT_KINDS = ['daily', 'weekly', 'monthly', 'session', 'project', 'model', 'phase'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The name of the grouping field of each kind's rows. */
export const ROW_KEY: Record<ReportKind, string> = {
  daily: 'date',
  weekly: 'week',
  monthly: 'month',
  session: 'sessionId',
  project: 'project',
  model: 'model',
  phase: 'phase',
};

export interface UsageFigures {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheCreation5mTokens: number;
  cacheCreation1hTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  /** Share of all input-side tokens served from cache (0–1). */
  cacheReadShare: number;
  costUSD: number;
  /** Models whose tokens are counted but not priced (not in the price table). */
  unpricedModels: string[];
}

export type ReportRow = Record<string, unknown> & UsageFigures & { requests: number; models: string[] };

export interface UsageReport {
  report: ReportKind;
  timezone: string;
  since: string | null;
  until: string | null;
  priceTable: string;
  totals: UsageFigures & { requests: number };
  rows: ReportRow[];
  diagnostics: Omit<ReadDiagnostics, 'malformedSamples'>;
}

export interface ReportOptions {
  kind: ReportKind;
  timeZone: string;
  since?: string;
  until?: string;
}

class Tally {
  tokens: TokenCounts = zeroTokens();
  cost = 0;
  requests = 0;
  models = new Set<string>();
  unpriced = new Set<string>();
  firstMs = Infinity;
  lastMs = -Infinity;
  project = '';
  agent = '';
  toolCalls = 0;

  add(tokens: TokenCounts, cost: number | undefined, model: string, requests: number): void {
    addTokens(this.tokens, tokens);
    this.requests += requests;
    this.models.add(model);
    if (cost === undefined) this.unpriced.add(model);
    else this.cost += cost;
  }

  figures(): UsageFigures {
    const t = this.tokens;
    const inputSide = inputSideTokens(t);
    return {
      inputTokens: t.input,
      outputTokens: t.output,
      cacheCreationTokens: t.cacheWrite5m + t.cacheWrite1h,
      cacheCreation5mTokens: t.cacheWrite5m,
      cacheCreation1hTokens: t.cacheWrite1h,
      cacheReadTokens: t.cacheRead,
      totalTokens: totalTokens(t),
      cacheReadShare: inputSide === 0 ? 0 : Math.round((t.cacheRead / inputSide) * 10_000) / 10_000,
      costUSD: Math.round(this.cost * 1e6) / 1e6,
      unpricedModels: [...this.unpriced].sort(),
    };
  }
}

function groupKey(kind: Exclude<ReportKind, 'phase'>, event: UsageEvent, day: string): string {
  switch (kind) {
    case 'daily':
      return day;
    case 'weekly':
      return isoWeek(day);
    case 'monthly':
      return monthOf(day);
    case 'session':
      return `${event.agent}:${event.sessionId}`;
    case 'project':
      return event.project || '(none)';
    case 'model':
      return event.model;
  }
}

/** Builds the report. Events outside `since`/`until` (local days, inclusive) are left out. */
export function buildUsageReport(events: UsageEvent[], diagnostics: ReadDiagnostics, options: ReportOptions): UsageReport {
  const dayOf = dayKeyIn(options.timeZone);
  const totals = new Tally();
  const groups = new Map<string, Tally>();
  const tallyFor = (key: string): Tally => {
    let tally = groups.get(key);
    if (!tally) groups.set(key, (tally = new Tally()));
    return tally;
  };
  const inRange = events.filter((event) => {
    const day = dayOf(event.timestampMs);
    return (!options.since || day >= options.since) && (!options.until || day <= options.until);
  });
  const turnPhase = options.kind === 'phase' ? turnPhases(inRange) : undefined;

  for (const event of inRange) {
    const at = event.timestampMs;
    const cost = costOfResponse(event.model, event.tokens, event.webSearchRequests, event.speed);
    totals.add(event.tokens, cost, event.model, 1);
    if (turnPhase) {
      for (const share of phaseShares(event, turnPhase)) {
        const tally = tallyFor(share.phase);
        tally.add(share.tokens, cost === undefined ? undefined : cost * share.fraction, event.model, share.fraction);
        tally.toolCalls += share.toolCalls;
      }
      continue;
    }
    const tally = tallyFor(groupKey(options.kind as Exclude<ReportKind, 'phase'>, event, dayOf(at)));
    tally.add(event.tokens, cost, event.model, 1);
    tally.firstMs = Math.min(tally.firstMs, at);
    tally.lastMs = Math.max(tally.lastMs, at);
    tally.project = event.project;
    tally.agent = event.agent;
  }

  const keyName = ROW_KEY[options.kind];
  const rows: ReportRow[] = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, tally]) => {
      const row: ReportRow = { [keyName]: options.kind === 'session' ? key.slice(key.indexOf(':') + 1) : key, ...tally.figures(), requests: Math.round(tally.requests * 100) / 100, models: [...tally.models].sort() };
      if (options.kind === 'phase') row.toolCalls = tally.toolCalls;
      if (options.kind === 'session') {
        Object.assign(row, { agent: tally.agent, project: tally.project, firstActivity: new Date(tally.firstMs).toISOString(), lastActivity: new Date(tally.lastMs).toISOString() });
      }
      return row;
    });
  if (options.kind === 'session') rows.sort((a, b) => String(a.lastActivity).localeCompare(String(b.lastActivity)));
  if (options.kind === 'phase') rows.sort((a, b) => b.totalTokens - a.totalTokens);

  const { malformedSamples: _samples, ...counts } = diagnostics;
  return {
    report: options.kind,
    timezone: options.timeZone,
    since: options.since ?? null,
    until: options.until ?? null,
    priceTable: PRICE_TABLE_VERSION,
    totals: { ...totals.figures(), requests: totals.requests },
    rows,
    diagnostics: counts,
  };
}
