/**
 * The normalized usage event every source adapter emits: one record per billed API response.
 * `summary/`, `report/` and everything after never branch on the agent; they read these.
 *
 * Types come from the zod schemas in `event-schema.ts`; this module holds the lists and small
 * helpers and imports no zod, so commands that only read and add up start fast.
 */
import type { z } from 'zod';
import type { agentSchema, readDiagnosticsSchema, tokenCountsSchema, toolCallSchema, usageEventSchema } from './event-schema.js';

/** The agents tokenledger reads. One list; the union type and every label table derive from it. */
export const AGENTS = ['claude-code', 'codex', 'gemini', 'opencode'] as const;

/**
 * Token types, kept apart everywhere. Names line up with Claude Code's OpenTelemetry `type`
 * values (input, output, cacheRead, cacheCreation split by duration).
 */
export const TOKEN_TYPES = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

export type Agent = z.infer<typeof agentSchema>;
export type TokenCounts = z.infer<typeof tokenCountsSchema>;
export type ToolCall = z.infer<typeof toolCallSchema>;
export type UsageEvent = z.infer<typeof usageEventSchema>;
export type ReadDiagnostics = z.infer<typeof readDiagnosticsSchema>;

// Compile-time guard: the token-count keys and TOKEN_TYPES are the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const tokenTypesMatchCounts: Same<keyof TokenCounts, TokenType> = true;
void tokenTypesMatchCounts;

export function zeroTokens(): TokenCounts {
  return { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
}

export function totalTokens(t: TokenCounts): number {
  return t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

/** What the model read as input: fresh input, cache writes and cache reads (the base of the cache-read share). */
export function inputSideTokens(t: TokenCounts): number {
  return t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

/** Adds `b` into `a` in place and returns `a`. Written out: it runs once per response per report. */
export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  a.input += b.input;
  a.output += b.output;
  a.cacheWrite5m += b.cacheWrite5m;
  a.cacheWrite1h += b.cacheWrite1h;
  a.cacheRead += b.cacheRead;
  return a;
}

export function emptyDiagnostics(): ReadDiagnostics {
  return { filesRead: 0, lines: 0, responses: 0, duplicateLines: 0, malformedLines: 0, skippedLines: 0, malformedSamples: [] };
}
