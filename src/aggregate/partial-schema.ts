/**
 * `tokenledger.partial/1`: the aggregate of some repositories' `token-data` branches, built per
 * shard of a workflow matrix and merged (DESIGN.md §8). Strict like the session schema.
 *
 * Design: the session rows are the source of truth and the daily rows are derived from them.
 * A session row keeps what its daily rows need (per-model usage, phases, tools), so a merge is
 * "union the session rows, keep the newest capture of each id, derive the daily rows again".
 * Keeping daily rows and subtracting a dropped duplicate would need per-row session ids and is
 * easy to get wrong; re-deriving is correct by construction, and deriving in session-id order
 * makes even the floating-point cost sums identical however the shards were grouped.
 */
import { z } from 'zod';
import { agentSchema } from '../sources/event-schema.js';
import { PHASES } from '../sources/phase.js';
import { commitSchema, modelUsageSchema, sessionSummarySchema, sessionTokensSchema } from '../summary/schema.js';

/**
 * /2: a phase holds its total tokens, not the five types (the site draws totals and cost, and a
 * million sessions' phases by type were a third of a partial's memory). A /1 file is refused
 * with its schema named; the Action then reads every branch once, as on a first night.
 */
export const PARTIAL_SCHEMA = 'tokenledger.partial/2';

const count = z.number().int().nonnegative();
const usd = z.number().nonnegative();
const summary = sessionSummarySchema.shape;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a YYYY-MM-DD day');

/**
 * A default-branch commit that starts or ends strategies (`Token-Strategy` trailers), as a shard
 * read it: `merge` judges experiments from these, since it reads no repository itself. The
 * trailer values that were not slugs are left out: they are free text from commit messages, kept
 * for the diagnostics of the run that read them, not for an artifact.
 */
export const partialStrategyEventSchema = z.strictObject({
  sha: commitSchema.shape.sha,
  /** Committer date, epoch milliseconds. */
  at: z.number().int().nonnegative(),
  starts: summary.strategies,
  ends: summary.strategies,
});

export const partialSourceSchema = z.strictObject({
  /** As configured: `owner/name`, a git URL or a local path. */
  repository: z.string().min(1),
  /** The branch or ref the summaries were read from (`token-data`). */
  dataRef: z.string().min(1),
  /** Commit the summaries were read at; null when the branch does not exist yet. */
  tip: commitSchema.shape.sha.nullable(),
  /** Valid summary files read (duplicates included). */
  files: count,
  /** Files skipped because they were not a valid summary. */
  invalidFiles: count,
  /**
   * Optional, added within `tokenledger.partial/1` (a partial without it stays valid): the
   * strategy events of the repository's default branch, in `git log` order, written by the
   * `partial` command for `merge` to judge experiments with. Absent when the default branch was
   * not read (or could not be): that repository then takes no part in experiments, neither as
   * treated nor as control.
   */
  strategyEvents: z.array(partialStrategyEventSchema).optional(),
});

/**
 * One phase of a session or a day: its tool calls, its tokens (all types, as the summary's
 * phase `tokens.total`) and their cost. Phases with no tokens and no tool calls are left out.
 */
export const partialPhaseSchema = z.strictObject({
  toolCalls: count,
  tokens: count,
  costUSD: usd,
});

/**
 * The phases a row used, each at most once. Written as an object of optional keys rather than
 * `z.partialRecord`: the same type and the same unknown-key error, but zod compiles an object's
 * check, about three times faster over the hundreds of thousands of rows a partial file holds.
 */
const partialPhasesSchema = z.strictObject(Object.fromEntries(PHASES.map((phase) => [phase, partialPhaseSchema.optional()])) as Record<(typeof PHASES)[number], z.ZodOptional<typeof partialPhaseSchema>>);

export const sessionRowSchema = z.strictObject({
  id: summary.id,
  repository: z.string().min(1),
  developer: summary.developer,
  branch: summary.branch,
  agent: agentSchema,
  /** Kept to decide which capture of a duplicated id is newest (see `compareCaptures`). */
  parser: summary.parser,
  priceTable: summary.priceTable,
  capturedBy: summary.capturedBy,
  startedAt: summary.startedAt,
  endedAt: summary.endedAt,
  durationSeconds: count,
  tokens: sessionTokensSchema,
  /** USD of the priced models; a model with `costUSD: null` in `models` is left out. */
  costUSD: usd,
  requests: count,
  strategies: summary.strategies,
  /** Full SHAs of the session's commits (the count is the length): links sessions to PRs. */
  commits: z.array(commitSchema.shape.sha),
  linesAdded: count,
  linesRemoved: count,
  /** Per-model usage (main thread and subagents), as in the summary: daily rows are derived from it. */
  models: z.array(modelUsageSchema),
  /** Tokens of subagent responses, already inside `tokens`. */
  subagentTokens: sessionTokensSchema,
  phases: partialPhasesSchema,
  tools: summary.tools,
  /**
   * Optional, added within `tokenledger.partial/1`: what the site's session page draws, kept
   * only on each repository's `DETAILED_SESSIONS` newest sessions (see `keepDetailOfNewest`), so
   * a partial of a million sessions does not carry a million per-minute series.
   */
  detail: z
    .strictObject({
      series: summary.series,
      activeSeconds: summary.activeSeconds,
      userTurns: summary.userTurns,
      subagents: summary.subagents.shape.count,
    })
    .optional(),
  /**
   * Optional, added within `tokenledger.partial/1`: the git blob the summary was read from. A
   * later night that finds the same blob on the branch takes this row instead of reading it.
   */
  blob: z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'a git object id').optional(),
});

export const dailyRowSchema = z.strictObject({
  /** Local day of the session's `startedAt` in the partial's time zone. */
  date: day,
  repository: z.string().min(1),
  developer: summary.developer,
  model: modelUsageSchema.shape.model,
  agent: agentSchema,
  tokens: sessionTokensSchema,
  /** USD of the priced requests; unpriced ones are counted in `unpricedRequests` instead. */
  costUSD: usd,
  unpricedRequests: count,
  /**
   * Sessions that started on `date` and made at least one request to `model`. A session using
   * two models counts once in each model's row, so never add this across models: count
   * sessions from the session rows.
   */
  sessions: count,
  requests: count,
  /** Phases and tools of the sessions whose primary model (most tokens) is `model`. */
  phases: partialPhasesSchema,
  tools: summary.tools,
});

export const partialSchema = z.strictObject({
  schema: z.literal(PARTIAL_SCHEMA),
  /** tokenledger version that built (or last merged) the partial; the highest one on a merge. */
  builtBy: z.string().min(1).max(40),
  /** Price tables of the kept sessions, sorted. */
  priceTables: z.array(z.string().min(1)),
  /** IANA time zone of every `date`; partials in different zones cannot be merged. */
  timezone: z.string().min(1),
  /** Captures dropped because a newer capture of the same session id was kept. */
  duplicateSessions: count,
  sources: z.array(partialSourceSchema),
  daily: z.array(dailyRowSchema),
  sessions: z.array(sessionRowSchema),
});

/** Named `AggregatePartial`, not `Partial`, so TypeScript's own `Partial<T>` stays usable. */
export type AggregatePartial = z.infer<typeof partialSchema>;
export type PartialSource = z.infer<typeof partialSourceSchema>;
export type PartialStrategyEvent = z.infer<typeof partialStrategyEventSchema>;
export type SessionRow = z.infer<typeof sessionRowSchema>;
export type DailyRow = z.infer<typeof dailyRowSchema>;
export type PartialPhase = z.infer<typeof partialPhaseSchema>;
export type SessionDetail = NonNullable<SessionRow['detail']>;
