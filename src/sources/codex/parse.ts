/**
 * One Codex rollout file -> normalized usage events. Pure: the file's text in, events and
 * diagnostics out; never throws on bad content.
 *
 * Codex writes usage as `token_count` events carrying the thread's cumulative totals, so a response's
 * usage is the increase of those totals. Repeats of the same totals are common (4 of 9 events in a
 * real file) and a forked file starts at its parent's total, so each file counts only its own increase.
 */
import type { ZodError } from 'zod';
import { emptyDiagnostics, type ReadDiagnostics, type ToolCall, type UsageEvent } from '../events.js';
import { addMalformed } from '../diagnostics.js';
import { sessionIdentity } from './session.js';
import {
  functionCallSchema,
  localShellCallSchema,
  payloadKindSchema,
  rolloutLineSchema,
  sessionMetaSchema,
  tokenCountSchema,
  turnContextSchema,
  type SessionMeta,
  type TokenUsage,
} from './schema.js';
import { toLocalShellCall, toToolCall } from './tools.js';

export interface CodexRead {
  events: UsageEvent[];
  diagnostics: ReadDiagnostics;
}

/**
 * Model for responses with no `turn_context` before them (0.34-era rollouts have none at all) and no
 * model in `session_meta`: ccusage's documented fallback for those early builds, which ran gpt-5.
 */
const FALLBACK_MODEL = 'gpt-5';

const COUNTERS = [
  'input_tokens',
  'cached_input_tokens',
  'cache_write_input_tokens',
  'output_tokens',
  'reasoning_output_tokens',
  'total_tokens',
] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;

/** What a counted `token_count` contributes; the session's identity is added once the file is read. */
type ResponseUsage = Pick<UsageEvent, 'timestampMs' | 'tokens' | 'reasoningOutput' | 'webSearchRequests' | 'tools' | 'turn'> & {
  /** From the latest `turn_context`, if any came before. */
  turnModel: string | null;
  /** The thread's cumulative `total_tokens` after this response: unique per increase. */
  cumulativeTotal: number;
};

interface RolloutState {
  /** The first `session_meta`: sub-agent rollouts may also carry a copy of their parent's. */
  meta: SessionMeta | null;
  model: string | null;
  /** `user_message` events seen so far. */
  turn: number;
  /** Tool calls and web searches since the previous counted `token_count`: they belong to its response. */
  tools: ToolCall[];
  webSearches: number;
  /** Highest totals counted so far, starting at the file's baseline; increases are measured from here. */
  counted: Counters | null;
  /** Totals of the latest `token_count`, to recognise a repeat. */
  previous: Counters | null;
  responses: ResponseUsage[];
}

type LineOutcome = 'other' | 'response' | 'duplicate' | 'skipped' | { malformed: string };

export function parseCodexRollout(text: string, file: string): CodexRead {
  const diagnostics = emptyDiagnostics();
  diagnostics.filesRead = 1;
  const state: RolloutState = { meta: null, model: null, turn: 0, tools: [], webSearches: 0, counted: null, previous: null, responses: [] };

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') return;
    diagnostics.lines += 1;
    const outcome = readLine(line, state);
    if (outcome === 'response') diagnostics.responses += 1;
    else if (outcome === 'duplicate') diagnostics.duplicateLines += 1;
    else if (outcome === 'skipped') diagnostics.skippedLines += 1;
    else if (outcome !== 'other') addMalformed(diagnostics, `${file}:${index + 1}: ${outcome.malformed}`);
  });

  return { events: toUsageEvents(state, file), diagnostics };
}

function readLine(line: string, state: RolloutState): LineOutcome {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    // The parser's message can quote the line's content; the reason alone is enough to find it.
    return { malformed: 'invalid JSON (truncated line?)' };
  }
  const parsed = rolloutLineSchema.safeParse(json);
  if (!parsed.success) return malformed('rollout line', parsed.error);
  const { type, payload, timestamp } = parsed.data;

  if (type === 'session_meta') {
    const meta = sessionMetaSchema.safeParse(payload);
    if (!meta.success) return malformed('session_meta', meta.error);
    state.meta ??= meta.data;
    return 'other';
  }
  if (type === 'turn_context') {
    const context = turnContextSchema.safeParse(payload);
    if (!context.success) return malformed('turn_context', context.error);
    if (context.data.model) state.model = context.data.model;
    return 'other';
  }
  if (type !== 'event_msg' && type !== 'response_item') return 'other';

  const kind = payloadKindSchema.safeParse(payload);
  if (!kind.success) return malformed(type, kind.error);
  switch (kind.data.type) {
    case 'user_message':
      state.turn += 1;
      return 'other';
    case 'token_count':
      return readTokenCount(payload, timestamp, state);
    case 'function_call':
    case 'custom_tool_call': {
      const call = functionCallSchema.safeParse(payload);
      if (!call.success) return malformed(kind.data.type, call.error);
      state.tools.push(toToolCall(call.data.name, call.data.arguments));
      return 'other';
    }
    case 'local_shell_call': {
      const call = localShellCallSchema.safeParse(payload);
      if (!call.success) return malformed('local_shell_call', call.error);
      state.tools.push(toLocalShellCall(call.data.action?.command ?? undefined));
      return 'other';
    }
    case 'web_search_call':
      state.webSearches += 1;
      return 'other';
    default:
      return 'other';
  }
}

function readTokenCount(payload: unknown, timestamp: string | undefined, state: RolloutState): LineOutcome {
  const event = tokenCountSchema.safeParse(payload);
  if (!event.success) return malformed('token_count', event.error);
  const info = event.data.info;
  if (!info) return 'skipped';
  const timestampMs = timestamp === undefined ? NaN : Date.parse(timestamp);
  if (Number.isNaN(timestampMs)) return { malformed: `token_count: timestamp: ${timestamp === undefined ? 'missing' : `not an ISO-8601 time: ${JSON.stringify(timestamp)}`}, the response cannot be placed in time` };

  const total = toCounters(info.total_token_usage);
  // The file's first totals may include a parent thread's usage (fork); its first response is its
  // `last_token_usage`, so everything before that is the baseline. Without a fork it is zero.
  state.counted ??= baseline(total, info.last_token_usage ?? null);
  const isRepeat = state.previous !== null && COUNTERS.every((name) => total[name] === state.previous?.[name]);
  state.previous = total;
  const increase = subtract(total, state.counted);
  if (COUNTERS.every((name) => increase[name] === 0)) return isRepeat ? 'duplicate' : 'skipped';

  // Keep the highest totals seen, so a snapshot that arrives late (lower) is never counted twice.
  for (const name of COUNTERS) state.counted[name] = Math.max(state.counted[name], total[name]);
  // Clamped so cached and cache-write never exceed the input they are part of.
  const cacheRead = Math.min(increase.cached_input_tokens, increase.input_tokens);
  const cacheWrite = Math.min(increase.cache_write_input_tokens, increase.input_tokens - cacheRead);
  state.responses.push({
    timestampMs,
    tokens: {
      input: increase.input_tokens - cacheRead - cacheWrite,
      output: increase.output_tokens,
      // Codex reports a single cache-write kind; the 5-minute column is the default-duration one.
      cacheWrite5m: cacheWrite,
      cacheWrite1h: 0,
      cacheRead,
    },
    reasoningOutput: Math.min(increase.reasoning_output_tokens, increase.output_tokens),
    webSearchRequests: state.webSearches,
    tools: state.tools,
    turn: state.turn,
    turnModel: state.model,
    cumulativeTotal: state.counted.total_tokens,
  });
  state.tools = [];
  state.webSearches = 0;
  return 'response';
}

function toCounters(usage: TokenUsage): Counters {
  return {
    input_tokens: usage.input_tokens,
    cached_input_tokens: usage.cached_input_tokens,
    cache_write_input_tokens: usage.cache_write_input_tokens,
    output_tokens: usage.output_tokens,
    reasoning_output_tokens: usage.reasoning_output_tokens,
    // Always input + output in real files; computed only for builds that leave it out.
    total_tokens: usage.total_tokens ?? usage.input_tokens + usage.output_tokens,
  };
}

/** First totals minus the first response; a missing `last_token_usage` is taken as "no parent". */
function baseline(total: Counters, last: TokenUsage | null): Counters {
  return last ? subtract(total, toCounters(last)) : subtract(total, total);
}

function subtract(a: Counters, b: Counters): Counters {
  const result = { ...a };
  for (const name of COUNTERS) result[name] = Math.max(0, a[name] - b[name]);
  return result;
}

function malformed(what: string, error: ZodError): LineOutcome {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return { malformed: `${what}: ${where}${issue?.message ?? 'invalid'}` };
}

/** Adds the session's identity, known once the whole file is read, to each counted response. */
function toUsageEvents(state: RolloutState, file: string): UsageEvent[] {
  const { threadId, ...identity } = sessionIdentity(state.meta, file);
  return state.responses.map(({ turnModel, cumulativeTotal, ...usage }) => ({
    agent: 'codex',
    ...identity,
    ...usage,
    model: turnModel || state.meta?.model || FALLBACK_MODEL,
    speed: 'standard',
    // The thread's own id, not the parent's: a fork or sub-agent never collides with its parent, and
    // the same file read twice (or found in both sessions/ and archived_sessions/) gives the same keys.
    requestKey: `codex:${threadId}:${cumulativeTotal}`,
  }));
}
