/**
 * The OpenCode record shapes the adapter reads, and nothing more. The same JSON sits in the SQLite
 * `message.data` / `part.data` columns (ids and session as columns) and in the legacy files (ids
 * inside). Objects are loose: OpenCode adds fields often and only the ones used here are checked.
 */
import { z } from 'zod';

const tokens = z.number().int().nonnegative();
/** Counters older builds left out: absent means none. */
const optionalTokens = tokens.nullish().transform((value) => value ?? 0);

/**
 * `tokens` of an assistant message, as OpenCode's `getUsage` records it: `input` excludes cache
 * reads and writes; whether `output` includes `reasoning` depends on the build (see `parse.ts`).
 * `total` is the provider's own total, written since ~1.0 and absent before.
 */
export const messageTokensSchema = z.looseObject({
  total: tokens.nullish(),
  input: optionalTokens,
  output: optionalTokens,
  reasoning: optionalTokens,
  cache: z.looseObject({ read: optionalTokens, write: optionalTokens }).nullish(),
});
export type MessageTokens = z.infer<typeof messageTokensSchema>;

/** `message.data` (and a legacy message file). User messages carry no tokens. */
export const messageDataSchema = z.looseObject({
  /** Legacy files only: the database keeps these as columns. */
  id: z.string().min(1).optional(),
  sessionID: z.string().min(1).optional(),
  role: z.enum(['user', 'assistant']),
  /** The user message this response answers. */
  parentID: z.string().nullish(),
  modelID: z.string().nullish(),
  providerID: z.string().nullish(),
  tokens: messageTokensSchema.nullish(),
  /** Epoch milliseconds. */
  time: z.looseObject({ created: z.number().nullish() }).nullish(),
  /** `cwd` the agent ran in; `root` the git worktree, `/` outside git. */
  path: z.looseObject({ cwd: z.string().nullish(), root: z.string().nullish() }).nullish(),
});
export type MessageData = z.infer<typeof messageDataSchema>;

/**
 * A `tool` part: the tool's name and, for `bash`, the command (read only to classify the call).
 * Legacy part files carry `messageID`; database rows have it as a column.
 */
export const toolPartSchema = z.looseObject({
  type: z.literal('tool'),
  tool: z.string().min(1),
  messageID: z.string().optional(),
  state: z.looseObject({ input: z.looseObject({ command: z.unknown().optional() }).nullish() }).nullish(),
});

/** Just the part's type: only `tool` parts are read further. */
export const partKindSchema = z.looseObject({ type: z.string() });

/** A legacy `storage/session/<projectID>/<sessionID>.json`. */
export const legacySessionSchema = z.looseObject({
  id: z.string().min(1),
  parentID: z.string().nullish(),
  directory: z.string().nullish(),
  version: z.string().nullish(),
});

/** What the adapter needs of a session, from the `session` table or a legacy session file. */
export interface SessionInfo {
  /** The session that spawned this one (the `task` tool's sub-agents), or null. */
  parentId: string | null;
  directory: string | null;
  version: string | null;
}

/** A message as read from either store, before its `data` is parsed. */
export interface MessageRow {
  id: string;
  sessionId: string;
  /** Row creation time (database column), used when `data.time.created` is missing. */
  createdMs: number | null;
  /** The raw JSON text. */
  data: string;
  /** Where it came from, for samples: `<file>:<row id>` or the legacy file. */
  where: string;
}

/** One tool call of a message, as read from either store. `command` is for classifying only. */
export interface ToolPart {
  messageId: string;
  tool: string;
  command: unknown;
}

/** Everything one store holds that the parser reads. */
export interface OpenCodeStore {
  sessions: Map<string, SessionInfo>;
  /** Ordered by session, then creation time, then id. */
  messages: MessageRow[];
  tools: ToolPart[];
  /** Rows that could not be read (a part with invalid JSON), as `where: reason`. */
  problems: string[];
}
