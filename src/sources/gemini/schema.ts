/**
 * The raw chat-file shapes the Gemini adapter reads, and nothing more. Objects are loose: Gemini CLI
 * adds fields often (`kind`, `summary`, `directories`, `memoryScratchpad`), so only the fields we
 * use are checked. Shapes as in `packages/core/src/services/chatRecordingTypes.ts`.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();
/** `thoughts` and `tool` are optional in the type and absent in older files; absent means none. */
const optionalCount = count.nullish().transform((value) => value ?? 0);

/**
 * Gemini API usage metadata, renamed: `input` = promptTokenCount (includes `cached`), `output` =
 * candidatesTokenCount (excludes `thoughts`), `tool` = toolUsePromptTokenCount.
 */
export const tokensSchema = z.looseObject({
  input: count,
  output: count,
  cached: optionalCount,
  thoughts: optionalCount,
  tool: optionalCount,
  total: count.nullish(),
});
export type GeminiTokens = z.infer<typeof tokensSchema>;

/** A tool call of a `gemini` message; `args` are read only to classify shell commands. */
export const toolCallRecordSchema = z.looseObject({
  name: z.string().min(1),
  args: z.unknown().optional(),
});

/** Every message record: `user`, `gemini`, `info`, `error`, `warning`. */
export const messageRecordSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string(),
  timestamp: z.string().nullish(),
});

/** A `gemini` message: `tokens` is null until the response's usage arrives. */
export const geminiMessageSchema = messageRecordSchema.extend({
  type: z.literal('gemini'),
  model: z.string().nullish(),
  tokens: tokensSchema.nullish(),
  toolCalls: z.array(toolCallRecordSchema).nullish(),
});
export type GeminiMessage = z.infer<typeof geminiMessageSchema>;

/** Session metadata: the JSONL's first line, a `$set` update, or the top of a legacy JSON file. */
export const sessionMetaSchema = z.looseObject({
  sessionId: z.string().min(1).nullish(),
  projectHash: z.string().nullish(),
  kind: z.string().nullish(),
});
export type SessionMeta = z.infer<typeof sessionMetaSchema>;

/** A legacy `.json` chat file: the whole conversation in one object. */
export const legacyChatSchema = sessionMetaSchema.extend({ messages: z.array(z.unknown()) });

/** The run-time arguments of `run_shell_command`, parsed only to classify the call. */
export const shellArgumentsSchema = z.looseObject({ command: z.string().nullish() });
