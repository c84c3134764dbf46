/**
 * The zod schemas of the normalized usage event and what reading saw. Types are inferred here
 * and re-exported by `events.ts`; runtime code imports `events.ts`, which stays free of zod so
 * the report path starts fast. Validation (tests, the summary writer) imports this module.
 */
import { z } from 'zod';
import { AGENTS } from './events.js';
import { PHASES } from './phase.js';

export const agentSchema = z.enum(AGENTS);

const count = z.number().int().nonnegative();

export const tokenCountsSchema = z.strictObject({
  input: count,
  output: count,
  cacheWrite5m: count,
  cacheWrite1h: count,
  cacheRead: count,
});

export const phaseSchema = z.enum(PHASES);

/** One tool call of a response: its name (MCP names reduced to `mcp:<server>`) and phase. */
export const toolCallSchema = z.strictObject({
  name: z.string(),
  phase: phaseSchema,
});

export const usageEventSchema = z.strictObject({
  agent: agentSchema,
  /** The session the response belongs to (subagent traffic carries its parent's session id). */
  sessionId: z.string().min(1),
  /** Local grouping key for reports (Claude Code: the encoded project folder). Never committed. */
  project: z.string(),
  /** Deduplication key, unique per billed response within an agent. */
  requestKey: z.string().min(1),
  /** Epoch milliseconds (UTC) the response was written. */
  timestampMs: z.number(),
  model: z.string().min(1),
  tokens: tokenCountsSchema,
  /** Reasoning tokens, already included in `tokens.output` (Codex reports them apart). */
  reasoningOutput: count,
  webSearchRequests: count,
  /** True for subagent traffic (sidechains, Codex sub-agents). */
  isSidechain: z.boolean(),
  agentId: z.string().nullable(),
  tools: z.array(toolCallSchema),
  /** Index of the user turn the response answers, counted within its transcript file (0: before any prompt). */
  turn: count,
  /** Set when the response was served in fast/priority mode (priced with the model's multiplier). */
  speed: z.enum(['standard', 'fast']),
  agentVersion: z.string().nullable(),
  entrypoint: z.string().nullable(),
  /** The git branch the agent recorded (local only: summaries hash it unless a repo opts in). */
  gitBranch: z.string().nullable(),
});

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
