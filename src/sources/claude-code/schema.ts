/**
 * What one Claude Code transcript file contributes, in a form that can be cached and merged:
 * its responses (deduplicated within the file) and the times of its user prompts.
 *
 * The raw lines are read with small accessors in `parse.ts` rather than a schema per line: the
 * line format is wide and loose (see shared/reference/transcript-formats.md), we read a dozen
 * fields, and a validator per line would cost more than the rest of parsing.
 */
import { z } from 'zod';
import { phaseSchema, tokenCountsSchema } from '../event-schema.js';

const count = z.number().int().nonnegative();

/** One API response as the file shows it, after merging its snapshot lines. */
export const responseRecordSchema = z.strictObject({
  /** `message.id` + `requestId` (message id alone when the request id is missing). */
  key: z.string(),
  timestampMs: z.number(),
  model: z.string(),
  tokens: tokenCountsSchema,
  webSearchRequests: count,
  /** The kept snapshot had `stop_reason` set: it carries the final usage. */
  final: z.boolean(),
  isSidechain: z.boolean(),
  agentId: z.string().nullable(),
  sessionId: z.string(),
  version: z.string().nullable(),
  entrypoint: z.string().nullable(),
  gitBranch: z.string().nullable(),
  speed: z.enum(['standard', 'fast']),
  /**
   * Tool calls, one per tool_use id, united over all snapshot lines (one content block per line).
   * A list, not an object keyed by id: every id is new, and an object per response with keys never
   * seen before cost V8 a hidden class each (a tenth of the records' memory).
   */
  tools: z.array(z.strictObject({ id: z.string(), name: z.string(), phase: phaseSchema })),
  /** How many lines carried this response (1 + duplicates dropped). */
  lines: count,
});
export type ResponseRecord = z.infer<typeof responseRecordSchema>;

export const fileCountsSchema = z.strictObject({
  lines: count,
  malformedLines: count,
  skippedLines: count,
});
export type FileCounts = z.infer<typeof fileCountsSchema>;

/** The parse state of one file up to `offset`: what the incremental cache stores. */
export const transcriptStateSchema = z.strictObject({
  responses: z.array(responseRecordSchema),
  /** Epoch ms of user prompts (turn starts), in file order. */
  prompts: z.array(z.number()),
  counts: fileCountsSchema,
  malformedSamples: z.array(z.string()),
});
export type TranscriptState = z.infer<typeof transcriptStateSchema>;
