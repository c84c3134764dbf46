/**
 * One Gemini CLI chat file -> its paid model calls. Pure: the file's text in, calls and diagnostics
 * out; never throws on bad content. Both formats: the legacy `.json` file (one object holding
 * `messages[]`) and the append-only `.jsonl` (metadata line, then message records appended in full
 * each time they change, `{"$set": …}` metadata updates and `{"$rewindTo": id}` markers).
 *
 * A call is a `gemini` message with `tokens`; the last record of its id wins. `$set` snapshots (its
 * `messages` re-list the conversation, sometimes without tokens) and `$rewindTo` markers are not
 * counted: a rewound response was still paid for.
 */
import type { ZodError } from 'zod';
import { describeZodIssues, lineColumnAt } from '../../errors.js';
import { emptyDiagnostics, type ReadDiagnostics, type ToolCall } from '../events.js';
import { addMalformed } from '../diagnostics.js';
import { geminiMessageSchema, legacyChatSchema, messageRecordSchema, sessionMetaSchema, type GeminiTokens } from './schema.js';
import { toToolCall } from './tools.js';

/** One paid model call, before the session's identity is attached. */
export interface GeminiCall {
  messageId: string;
  timestampMs: number;
  model: string;
  tokens: GeminiTokens;
  tools: ToolCall[];
  /** User messages before this response in its file (0: before any prompt). */
  turn: number;
}

export interface GeminiChat {
  /** From the metadata; the file name's stem when the file records none. */
  sessionId: string;
  /** SHA-256 of the project root, as Gemini recorded it (also in files of named project folders). */
  projectHash: string | null;
  /** `kind: "subagent"` in the metadata. */
  isSubagent: boolean;
  calls: GeminiCall[];
  diagnostics: ReadDiagnostics;
}

/** A record of the file and where it is, as `file:line` (JSONL) or `file: messages[i]` (legacy JSON). */
interface ChatRecord {
  where: string;
  json?: unknown;
  error?: string;
}

/** A `gemini` message as its records so far describe it. */
interface PendingCall {
  messageId: string;
  where: string;
  timestampMs: number;
  model: string | null;
  /** The latest model recorded before it in the file, for a record that names none. */
  previousModel: string | null;
  tokens: GeminiTokens | null;
  tools: ToolCall[];
  turn: number;
}

interface ChatState {
  sessionId: string | null;
  projectHash: string | null;
  kind: string | null;
  userIds: Set<string>;
  pending: Map<string, PendingCall>;
  lastModel: string | null;
}

type RecordOutcome = 'other' | 'duplicate' | { malformed: string };

export function parseGeminiChat(text: string, file: string): GeminiChat {
  const diagnostics = emptyDiagnostics();
  diagnostics.filesRead = 1;
  const state: ChatState = { sessionId: null, projectHash: null, kind: null, userIds: new Set(), pending: new Map(), lastModel: null };

  for (const record of chatRecords(text.replace(/^\uFEFF/, ''), file)) {
    diagnostics.lines += 1;
    const outcome = record.error === undefined ? readRecord(record.json, record.where, state) : { malformed: record.error };
    if (outcome === 'duplicate') diagnostics.duplicateLines += 1;
    else if (outcome !== 'other') addMalformed(diagnostics, `${record.where}: ${outcome.malformed}`);
  }

  const calls: GeminiCall[] = [];
  for (const call of state.pending.values()) {
    const model = call.model ?? call.previousModel;
    if (!call.tokens) diagnostics.skippedLines += 1;
    else if (!model) addMalformed(diagnostics, `${call.where}: model: missing, the response cannot be priced`);
    else calls.push({ messageId: call.messageId, timestampMs: call.timestampMs, model, tokens: call.tokens, tools: call.tools, turn: call.turn });
  }
  diagnostics.responses = calls.length;
  return { sessionId: state.sessionId ?? fileStem(file), projectHash: state.projectHash, isSubagent: state.kind === 'subagent', calls, diagnostics };
}

/** `.jsonl` is read line by line, `.json` as one object; any other name by what its content is. */
function chatRecords(text: string, file: string): ChatRecord[] {
  if (file.endsWith('.jsonl')) return jsonlRecords(text, file);
  if (file.endsWith('.json')) return legacyRecords(text, file);
  try {
    const whole: unknown = JSON.parse(text);
    if (legacyChatSchema.safeParse(whole).success) return legacyRecords(text, file);
  } catch {
    // not one JSON document: the append-only format
  }
  return jsonlRecords(text, file);
}

function jsonlRecords(text: string, file: string): ChatRecord[] {
  const records: ChatRecord[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    try {
      records.push({ where, json: JSON.parse(line) });
    } catch {
      // The parser's message can quote the line's content; the reason alone is enough to find it.
      records.push({ where, error: 'invalid JSON (truncated line?)' });
    }
  });
  return records;
}

/** The file's metadata as a first record, then one record per message. */
function legacyRecords(text: string, file: string): ChatRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return [{ where: `${file}:${errorLine(text, error)}`, error: 'invalid JSON (truncated file?), no message of it can be read' }];
  }
  const chat = legacyChatSchema.safeParse(json);
  if (!chat.success) return [{ where: `${file}:1`, error: describe('chat file', chat.error) }];
  const { messages, ...meta } = chat.data;
  return [{ where: `${file}:1`, json: meta }, ...messages.map((message, index) => ({ where: `${file}: messages[${index}]`, json: message }))];
}

/** The line a JSON.parse error points at (V8 names a position), else the last line with content. */
function errorLine(text: string, error: unknown): number {
  const end = text.trimEnd().length;
  const position = /at position (\d+)/.exec(String(error))?.[1];
  return lineColumnAt(text, Math.min(end, position === undefined ? end : Number(position))).line;
}

function readRecord(json: unknown, where: string, state: ChatState): RecordOutcome {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { malformed: 'not a JSON object' };
  if ('$rewindTo' in json) return 'other';
  if ('$set' in json) return readMeta(json.$set, '$set', state);
  if ('id' in json) return readMessage(json, where, state);
  if ('sessionId' in json) return readMeta(json, 'metadata', state);
  return 'other';
}

function readMeta(json: unknown, what: string, state: ChatState): RecordOutcome {
  const meta = sessionMetaSchema.safeParse(json);
  if (!meta.success) return { malformed: describe(what, meta.error) };
  state.sessionId ??= meta.data.sessionId ?? null;
  state.projectHash ??= meta.data.projectHash ?? null;
  if (meta.data.kind) state.kind = meta.data.kind;
  return 'other';
}

function readMessage(json: object, where: string, state: ChatState): RecordOutcome {
  const message = messageRecordSchema.safeParse(json);
  if (!message.success) return { malformed: describe('message', message.error) };
  if (message.data.type === 'user') state.userIds.add(message.data.id);
  if (message.data.type !== 'gemini') return 'other';

  const parsed = geminiMessageSchema.safeParse(json);
  if (!parsed.success) return { malformed: describe('gemini message', parsed.error) };
  const { id, timestamp, model, tokens, toolCalls } = parsed.data;
  const previous = state.pending.get(id);
  // The message's own time, kept from its first record that has one.
  const timestampMs = previous && !Number.isNaN(previous.timestampMs) ? previous.timestampMs : timestamp ? Date.parse(timestamp) : NaN;
  if (tokens && Number.isNaN(timestampMs)) {
    return { malformed: `timestamp: ${timestamp ? `not an ISO-8601 time: ${JSON.stringify(timestamp)}` : 'missing'}, the response cannot be placed in time` };
  }
  state.pending.set(id, {
    messageId: id,
    where,
    timestampMs,
    model: model || previous?.model || null,
    previousModel: previous?.previousModel ?? state.lastModel,
    // The last record wins; one that lost its tokens cannot unpay the call.
    tokens: tokens ?? previous?.tokens ?? null,
    tools: toolCalls ? toolCalls.map((call) => toToolCall(call.name, call.args)) : (previous?.tools ?? []),
    turn: previous?.turn ?? state.userIds.size,
  });
  if (model) state.lastModel = model;
  return previous ? 'duplicate' : 'other';
}

/** The first problem is enough to find the record; the samples stay one line each. */
function describe(what: string, error: ZodError): string {
  return `${what}: ${describeZodIssues(error.issues)[0] ?? 'invalid'}`;
}

/** Subagent files are named `<session id>.jsonl`; main chats only carry 8 characters of it. */
function fileStem(file: string): string {
  return (file.split(/[/\\]/).pop() ?? file).replace(/\.jsonl?$/, '') || file;
}
