/**
 * The normalized usage event every source adapter emits: one record per billed API response.
 * `summary/`, `report/` and everything after never branch on the agent; they read these.
 */
import { z } from 'zod';
import { PHASES } from './phase.js';

/** The agents tokenledger reads. One list; the union type and every label table derive from it. */
export const AGENTS = ['claude-code', 'codex'] as const;
export const agentSchema = z.enum(AGENTS);
export type Agent = z.infer<typeof agentSchema>;

/**
 * Token types, kept apart everywhere. Names line up with Claude Code's OpenTelemetry `type`
 * values (input, output, cacheRead, cacheCreation split by duration).
 */
export const TOKEN_TYPES = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

const count = z.number().int().nonnegative();

export const tokenCountsSchema = z.strictObject({
  input: count,
  output: count,
  cacheWrite5m: count,
  cacheWrite1h: count,
  cacheRead: count,
});
export type TokenCounts = z.infer<typeof tokenCountsSchema>;

export const phaseSchema = z.enum(PHASES);

/** One tool call of a response: its name (MCP names reduced to `mcp:<server>`) and phase. */
export const toolCallSchema = z.strictObject({
  name: z.string(),
  phase: phaseSchema,
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const usageEventSchema = z.strictObject({
  agent: agentSchema,
  /** The session the response belongs to (subagent traffic carries its parent's session id). */
  sessionId: z.string().min(1),
  /** Local grouping key for reports (Claude Code: the encoded project folder). Never committed. */
  project: z.string(),
  /** Deduplication key, unique per billed response within an agent. */
  requestKey: z.string().min(1),
  /** ISO-8601 UTC time the response was written. */
  timestamp: z.string(),
  model: z.string().min(1),
  tokens: tokenCountsSchema,
  /** Reasoning tokens, already included in `tokens.output` (Codex reports them apart). */
  reasoningOutput: count,
  webSearchRequests: count,
  /** True for subagent traffic (sidechains, Codex sub-agents). */
  isSidechain: z.boolean(),
  agentId: z.string().nullable(),
  tools: z.array(toolCallSchema),
  /** Index of the user turn the response answers, counted within its transcript file. */
  turn: count,
  /** Set when the response was served in fast/priority mode (priced with the model's multiplier). */
  speed: z.enum(['standard', 'fast']),
  agentVersion: z.string().nullable(),
  entrypoint: z.string().nullable(),
});
export type UsageEvent = z.infer<typeof usageEventSchema>;

export function zeroTokens(): TokenCounts {
  return { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
}

export function totalTokens(t: TokenCounts): number {
  return t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

/** Adds `b` into `a` in place and returns `a`. */
export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  for (const type of TOKEN_TYPES) a[type] += b[type];
  return a;
}

/**
 * What reading a set of transcripts saw, so nothing is dropped silently: every line is either a
 * billed response, a duplicate snapshot of one, malformed, or not usage at all.
 */
export const readDiagnosticsSchema = z.strictObject({
  filesRead: count,
  lines: count,
  responses: count,
  duplicateLines: count,
  malformedLines: count,
  /** Assistant lines that bill nothing (`<synthetic>` notices, empty usage). */
  skippedLines: count,
  /** Up to a few malformed places, as `file:line: reason`, for the user to look at. */
  malformedSamples: z.array(z.string()),
});
export type ReadDiagnostics = z.infer<typeof readDiagnosticsSchema>;

export function emptyDiagnostics(): ReadDiagnostics {
  return { filesRead: 0, lines: 0, responses: 0, duplicateLines: 0, malformedLines: 0, skippedLines: 0, malformedSamples: [] };
}
