/**
 * Claude Code transcript lines -> response records. Pure: the caller feeds lines (from a stream,
 * the incremental cache, or a string in tests) and reads the state.
 *
 * One API response is written as several lines (one per content block) sharing `message.id` and
 * `requestId`; early lines carry a placeholder `output_tokens`. We keep one record per response,
 * with the usage of the snapshot with the largest output (the final one), and the tool calls of
 * all its lines.
 */
import { classifyToolCall, toolDisplayName } from '../phase.js';
import { isBlank, looksLikeJsonObject } from '../jsonl.js';
import { interner } from '../string-table.js';
import type { ResponseRecord, TranscriptState } from './schema.js';

/** Samples of malformed lines kept per file, for the user to look at. */
const MAX_SAMPLES = 5;

const ASSISTANT = Buffer.from('"assistant"');
const USER = Buffer.from('"user"');
const TOOL_RESULT = Buffer.from('"tool_result"');

export function emptyTranscriptState(): TranscriptState {
  return { responses: [], prompts: [], counts: { lines: 0, malformedLines: 0, skippedLines: 0 }, malformedSamples: [] };
}

/** A line that is not what its type promises; `field` names the JSON path at fault. */
class LineError extends Error {
  constructor(readonly field: string, reason: string) {
    super(`${field}: ${reason}`);
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tokenField(usage: Json, name: string): number {
  const value = usage[name];
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new LineError(`message.usage.${name}`, `expected a non-negative number, got ${JSON.stringify(value)}`);
  }
  return Math.round(value);
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Session ids, models, versions, branches: a large history keeps hundreds of thousands of records. */
const intern = interner(100_000);

/** What decides which of two snapshots of a response is kept. */
type SnapshotRank = Pick<ResponseRecord, 'tokens' | 'final' | 'timestampMs'>;

/** Is this response `b` a better (later, more complete) snapshot than `a`? */
export function isBetterSnapshot(a: SnapshotRank, b: SnapshotRank): boolean {
  if (b.tokens.output !== a.tokens.output) return b.tokens.output > a.tokens.output;
  if (b.final !== a.final) return b.final;
  const totalA = a.tokens.input + a.tokens.cacheRead + a.tokens.cacheWrite5m + a.tokens.cacheWrite1h;
  const totalB = b.tokens.input + b.tokens.cacheRead + b.tokens.cacheWrite5m + b.tokens.cacheWrite1h;
  if (totalB !== totalA) return totalB > totalA;
  return b.timestampMs > a.timestampMs; // deterministic whatever the line order
}

/**
 * Merges snapshot `incoming` into `kept` (same key): the better snapshot's usage and envelope win,
 * tool calls are united. Returns the record to keep.
 */
function mergeSnapshots(kept: ResponseRecord, incoming: ResponseRecord): ResponseRecord {
  return isBetterSnapshot(kept, incoming) ? combineSnapshots(incoming, kept) : combineSnapshots(kept, incoming);
}

/** One record of two snapshots of a response: `winner`'s usage and envelope, both lines' tool calls. */
function combineSnapshots(winner: ResponseRecord, loser: ResponseRecord): ResponseRecord {
  return { ...winner, tools: uniteTools(loser.tools, winner.tools), lines: winner.lines + loser.lines };
}

/** The calls of both lists, one per id; `later`'s call wins an id both have. May return either list itself. */
export function uniteTools(earlier: ResponseRecord['tools'], later: ResponseRecord['tools']): ResponseRecord['tools'] {
  if (earlier.length === 0) return later;
  if (later.length === 0) return earlier;
  return [...earlier.filter((call) => !later.some((other) => other.id === call.id)), ...later];
}

/** Builds the record of one assistant line, or null when it bills nothing. */
function readAssistantLine(line: Json, lineNumber: number, context: LineContext): ResponseRecord | null {
  const message = line.message;
  if (!isObject(message)) throw new LineError('message', 'missing or not an object');
  const model = message.model;
  if (model === '<synthetic>') return null; // locally generated notices; nothing was billed
  const usage = message.usage;
  if (usage === undefined || usage === null) return null;
  if (!isObject(usage)) throw new LineError('message.usage', 'not an object');
  if (typeof model !== 'string' || model === '') throw new LineError('message.model', 'missing');

  const input = tokenField(usage, 'input_tokens');
  const output = tokenField(usage, 'output_tokens');
  const cacheRead = tokenField(usage, 'cache_read_input_tokens');
  const cacheWrite = tokenField(usage, 'cache_creation_input_tokens');
  let cacheWrite1h = 0;
  let cacheWrite5m = cacheWrite;
  const split = usage.cache_creation;
  if (isObject(split)) {
    cacheWrite1h = tokenField(split, 'ephemeral_1h_input_tokens');
    const split5m = tokenField(split, 'ephemeral_5m_input_tokens');
    // The split replaces the total; whatever the split does not explain was a 5-minute write.
    cacheWrite5m = Math.max(split5m, cacheWrite - cacheWrite1h);
  }
  const serverTools = usage.server_tool_use;
  const webSearchRequests = isObject(serverTools) ? tokenField(serverTools, 'web_search_requests') : 0;

  const timestampMs = Date.parse(String(line.timestamp));
  if (Number.isNaN(timestampMs)) throw new LineError('timestamp', `not an ISO-8601 time: ${JSON.stringify(line.timestamp)}`);

  let tools: ResponseRecord['tools'] = [];
  const content = message.content;
  if (Array.isArray(content)) {
    content.forEach((block, index) => {
      if (!isObject(block) || block.type !== 'tool_use' || typeof block.name !== 'string') return;
      // No NUL in an id: the merger joins a response's ids with it.
      const id = typeof block.id === 'string' && block.id !== 'REDACTED' ? block.id.replaceAll('\u0000', '\uFFFD') : `${lineNumber}#${index}`;
      const input = isObject(block.input) ? block.input : {};
      tools = uniteTools(tools, [{ id, name: toolDisplayName(block.name), phase: classifyToolCall(block.name, input.command) }]);
    });
  }

  const messageId = optionalString(message.id);
  const requestId = optionalString(line.requestId);
  // Without a message id nothing can be matched: the line's own uuid keeps it unique.
  const key = messageId
    ? requestId
      ? `${messageId}\u0000${requestId}`
      : messageId
    : `line:${optionalString(line.uuid) ?? `${context.file}:${lineNumber}`}`;

  const agentId = intern(optionalString(line.agentId) ?? context.pathAgentId);
  return {
    key,
    timestampMs,
    model: intern(model)!,
    tokens: { input, output, cacheWrite5m, cacheWrite1h, cacheRead },
    webSearchRequests,
    final: message.stop_reason !== undefined && message.stop_reason !== null,
    isSidechain: line.isSidechain === true || context.pathAgentId !== null,
    agentId,
    sessionId: intern(optionalString(line.sessionId) ?? context.pathSessionId)!,
    version: intern(optionalString(line.version)),
    entrypoint: intern(optionalString(line.entrypoint)),
    // "HEAD" is Claude Code's word for a detached checkout: no branch.
    gitBranch: line.gitBranch === 'HEAD' ? null : intern(optionalString(line.gitBranch)),
    speed: usage.speed === 'fast' ? 'fast' : 'standard',
    tools,
    lines: 1,
  };
}

/** A user line that starts a turn: a prompt typed by the user, not a tool result or a meta note. */
function isPrompt(line: Json): boolean {
  if (line.isMeta === true || line.isCompactSummary === true || line.isVisibleInTranscriptOnly === true) return false;
  const message = line.message;
  if (!isObject(message)) return false;
  const content = message.content;
  if (typeof content === 'string') return true;
  return Array.isArray(content) && !content.some((block) => isObject(block) && block.type === 'tool_result');
}

export interface LineContext {
  file: string;
  pathSessionId: string;
  pathAgentId: string | null;
}

/**
 * Accumulates the lines of one file into `state`. Responses are deduplicated within the file here
 * and across files by the caller, with the same `mergeSnapshots` rule.
 */
export class TranscriptParser {
  private readonly byKey = new Map<string, ResponseRecord>();

  constructor(
    private readonly context: LineContext,
    readonly state: TranscriptState = emptyTranscriptState(),
  ) {
    for (const record of state.responses) this.byKey.set(record.key, record);
  }

  pushLine(raw: Buffer, lineNumber: number): void {
    if (isBlank(raw)) return;
    const counts = this.state.counts;
    counts.lines++;
    const assistant = raw.indexOf(ASSISTANT) !== -1;
    // Cheap pre-filter: only assistant lines bill, and only user prompts (not the often huge tool
    // results) mark turns. Everything else gets a shape check instead of a parse.
    if (!assistant && (raw.indexOf(USER) === -1 || raw.indexOf(TOOL_RESULT) !== -1)) {
      if (!looksLikeJsonObject(raw)) this.malformed(lineNumber, 'not a JSON object (truncated line?)');
      return;
    }
    let line: unknown;
    try {
      line = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      this.malformed(lineNumber, `invalid JSON (${(error as Error).message})`);
      return;
    }
    if (!isObject(line)) {
      this.malformed(lineNumber, 'not a JSON object');
      return;
    }
    try {
      if (line.type === 'assistant') this.addResponse(readAssistantLine(line, lineNumber, this.context));
      else if (line.type === 'user' && isPrompt(line)) {
        const at = Date.parse(String(line.timestamp));
        if (!Number.isNaN(at)) this.state.prompts.push(at);
      }
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      this.malformed(lineNumber, error.message);
    }
  }

  private addResponse(record: ResponseRecord | null): void {
    if (!record) {
      this.state.counts.skippedLines++;
      return;
    }
    const kept = this.byKey.get(record.key);
    this.byKey.set(record.key, kept ? mergeSnapshots(kept, record) : record);
  }

  private malformed(lineNumber: number, reason: string): void {
    this.state.counts.malformedLines++;
    if (this.state.malformedSamples.length < MAX_SAMPLES) {
      this.state.malformedSamples.push(`${this.context.file}:${lineNumber}: ${reason}`);
    }
  }

  /** The state with responses in a stable order, ready to cache or to turn into events. */
  finish(): TranscriptState {
    this.state.responses = [...this.byKey.values()];
    return this.state;
  }
}

/** Parses a whole transcript given as text (tests and one-off reads). */
export function parseTranscriptText(text: string, context: LineContext): TranscriptState {
  const parser = new TranscriptParser(context);
  text.split('\n').forEach((line, index) => parser.pushLine(Buffer.from(line.replace(/\r$/, '')), index + 1));
  return parser.finish();
}
