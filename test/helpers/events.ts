/**
 * Hand-made usage events for unit tests: `event({ ... })` fills every field with a plain default
 * (a main-thread claude-opus-4-6 response of session `s1`, turn 1, no tokens, no tools).
 */
import { addTokens, type TokenCounts, type ToolCall, type UsageEvent } from '../../src/sources/events.js';
import type { Phase } from '../../src/sources/phase.js';

let counter = 0;

/** `timestamp` (ISO-8601) is accepted for readability and becomes `timestampMs`. */
export type EventOverrides = Partial<Omit<UsageEvent, 'tokens'>> & { tokens?: Partial<TokenCounts>; timestamp?: string };

export function event(overrides: EventOverrides = {}): UsageEvent {
  const { tokens, timestamp, ...rest } = overrides;
  return {
    agent: 'claude-code',
    sessionId: 's1',
    project: '-home-dev-app',
    requestKey: `req-${++counter}`,
    timestampMs: Date.parse(timestamp ?? '2026-05-04T10:00:00.000Z'),
    model: 'claude-opus-4-6',
    reasoningOutput: 0,
    webSearchRequests: 0,
    isSidechain: false,
    agentId: null,
    tools: [],
    turn: 1,
    speed: 'standard',
    agentVersion: null,
    entrypoint: null,
    gitBranch: null,
    ...rest,
    tokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, ...tokens },
  };
}

/** A tool call; the phase defaults to what the name suggests for the few names tests use. */
export function tool(name: string, phase?: Phase): ToolCall {
  const guess: Record<string, Phase> = { Read: 'exploration', Grep: 'exploration', Edit: 'execution', Write: 'execution', TodoWrite: 'planning', Task: 'delegation', Agent: 'delegation' };
  return { name, phase: phase ?? guess[name] ?? 'other' };
}

/** Token counts with zeros for what is not given. */
export function tokens(t: Partial<TokenCounts> = {}): TokenCounts {
  return { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, ...t };
}

/** Token counts by type (and reasoning) added up over events: what a golden test compares. */
export function sumTokens(events: readonly UsageEvent[]): TokenCounts & { reasoningOutput: number } {
  const sum = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoningOutput: 0 };
  for (const event of events) {
    addTokens(sum, event.tokens);
    sum.reasoningOutput += event.reasoningOutput;
  }
  return sum;
}
