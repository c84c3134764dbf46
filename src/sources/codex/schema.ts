/**
 * The raw rollout line shapes the Codex adapter reads, and nothing more. Objects are loose: Codex
 * adds fields often (`cache_write_input_tokens` in 0.169, `thread_source` in 0.14x) and unknown line
 * types are normal, so only the fields we use are checked.
 */
import { z } from 'zod';

/** Every rollout line: `{timestamp, type, payload}` (0.169 adds `ordinal`). */
export const rolloutLineSchema = z.looseObject({
  timestamp: z.string().optional(),
  type: z.string(),
  payload: z.unknown(),
});

/** Just the `type` of an `event_msg` or `response_item` payload, to pick the schema that reads it. */
export const payloadKindSchema = z.looseObject({ type: z.string() });

const threadSpawnSchema = z.looseObject({ parent_thread_id: z.string().nullish() });

/**
 * `SessionSource` as serde writes it: a string (`cli`, `vscode`, `exec`, `unknown`) or an object;
 * sub-agent threads are `{"subagent": "review"}` or `{"subagent": {"thread_spawn": {...}}}`.
 */
const sessionSourceSchema = z.union([
  z.string(),
  z.looseObject({ subagent: z.union([z.string(), z.looseObject({ thread_spawn: threadSpawnSchema.nullish() })]).nullish() }),
]);

export const sessionMetaSchema = z.looseObject({
  id: z.string().nullish(),
  cwd: z.string().nullish(),
  originator: z.string().nullish(),
  cli_version: z.string().nullish(),
  /** Only very early builds wrote the model here; later ones use `turn_context`. */
  model: z.string().nullish(),
  source: sessionSourceSchema.nullish(),
  /** 0.14x and later: `user`, `subagent`, `guardian_review`. */
  thread_source: z.string().nullish(),
  parent_thread_id: z.string().nullish(),
  forked_from_id: z.string().nullish(),
  git: z.looseObject({ repository_url: z.string().nullish(), branch: z.string().nullish() }).nullish(),
});
export type SessionMeta = z.infer<typeof sessionMetaSchema>;

export const turnContextSchema = z.looseObject({ model: z.string().nullish() });

const tokens = z.number().int().nonnegative();
/** Counters that older builds wrote as null or left out; absent means none. */
const optionalTokens = tokens.nullish().transform((value) => value ?? 0);

/** OpenAI semantics: input includes cached and cache-write input; output includes reasoning. */
export const tokenUsageSchema = z.looseObject({
  input_tokens: tokens,
  cached_input_tokens: optionalTokens,
  cache_write_input_tokens: optionalTokens,
  output_tokens: tokens,
  reasoning_output_tokens: optionalTokens,
  total_tokens: tokens.nullish(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** `event_msg` / `token_count`. `info` is null on rate-limit-only events (often the first one). */
export const tokenCountSchema = z.looseObject({
  type: z.literal('token_count'),
  info: z
    .looseObject({
      /** Cumulative for the thread; a fork's file starts at the parent's total. */
      total_token_usage: tokenUsageSchema,
      /** The latest response alone. */
      last_token_usage: tokenUsageSchema.nullish(),
    })
    .nullish(),
});

/** `response_item` `function_call` (JSON `arguments`) and `custom_tool_call` (free-form `input`). */
export const functionCallSchema = z.looseObject({
  type: z.enum(['function_call', 'custom_tool_call']),
  name: z.string().min(1),
  arguments: z.string().nullish(),
});

/** `response_item` `local_shell_call`: the command is an argv array under `action`. */
export const localShellCallSchema = z.looseObject({
  type: z.literal('local_shell_call'),
  action: z.looseObject({ command: z.array(z.string()).nullish() }).nullish(),
});

/**
 * The shell tools' JSON arguments: `shell` has an argv `command`, `exec_command` a string `cmd`.
 * Parsed only to classify the call; the command is never kept.
 */
export const shellArgumentsSchema = z.looseObject({
  command: z.union([z.string(), z.array(z.string())]).nullish(),
  cmd: z.union([z.string(), z.array(z.string())]).nullish(),
});
