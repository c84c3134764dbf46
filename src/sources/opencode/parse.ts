/**
 * OpenCode messages -> normalized usage events. Pure: the rows of one store (database or legacy
 * folder) in, events and diagnostics out; never throws on bad content.
 *
 * OpenCode records usage once per assistant message, already split by token type, so each billed
 * message is one event; nothing is cumulative. Its id is the deduplication key: the same message
 * in the database and in legacy JSON (a migrated install keeps both) counts once.
 */
import type { ZodError } from 'zod';
import { emptyDiagnostics, type ReadDiagnostics, type ToolCall, type UsageEvent } from '../events.js';
import { addMalformed } from '../diagnostics.js';
import { messageDataSchema, type MessageData, type MessageRow, type MessageTokens, type OpenCodeStore, type SessionInfo } from './schema.js';
import { toToolCall } from './tools.js';

export interface OpenCodeRead {
  events: UsageEvent[];
  diagnostics: ReadDiagnostics;
}

/**
 * Output and reasoning as billed. Current OpenCode subtracts reasoning from the provider's output
 * (`output: outputTokens - reasoningTokens`) and prices both at the output rate, so output is the
 * sum; builds before that kept the provider's output, which for OpenAI-style providers already
 * includes reasoning. The provider's `total` tells the two apart (it counts reasoning once). Without
 * it, reasoning is taken as included, as OpenAI, DeepSeek and OpenRouter report it, unless it exceeds
 * the output and cannot be.
 */
export function billedOutput(tokens: MessageTokens): { output: number; reasoningOutput: number } {
  const { output, reasoning } = tokens;
  if (reasoning === 0) return { output, reasoningOutput: 0 };
  const rest = tokens.input + output + (tokens.cache?.read ?? 0) + (tokens.cache?.write ?? 0);
  const apart = tokens.total === rest + reasoning ? true : tokens.total === rest ? false : reasoning > output;
  return apart ? { output: output + reasoning, reasoningOutput: reasoning } : { output, reasoningOutput: reasoning };
}

type RowOutcome = 'other' | 'response' | 'skipped' | { malformed: string };

/**
 * Reads one store's messages. `seen` holds the ids of messages already counted from other stores
 * (read the database first): their copies here are duplicates. It is updated in place.
 */
export function parseOpenCodeStore(store: OpenCodeStore, seen: Set<string> = new Set()): OpenCodeRead {
  const diagnostics = emptyDiagnostics();
  for (const problem of store.problems) addMalformed(diagnostics, problem);
  const tools = new Map<string, ToolCall[]>();
  for (const part of store.tools) {
    const calls = tools.get(part.messageId) ?? [];
    calls.push(toToolCall(part.tool, part.command));
    tools.set(part.messageId, calls);
  }
  const turns = new TurnCounter();
  const events: UsageEvent[] = [];

  for (const row of store.messages) {
    diagnostics.lines += 1;
    if (seen.has(row.id)) {
      diagnostics.duplicateLines += 1;
      continue;
    }
    const outcome = readMessage(row, store.sessions, turns, tools, events);
    // A malformed copy is not "seen": a readable copy in another store still counts.
    if (typeof outcome !== 'object') seen.add(row.id);
    if (outcome === 'response') diagnostics.responses += 1;
    else if (outcome === 'skipped') diagnostics.skippedLines += 1;
    else if (outcome !== 'other') addMalformed(diagnostics, `${row.where}: ${outcome.malformed}`);
  }
  return { events, diagnostics };
}

function readMessage(row: MessageRow, sessions: Map<string, SessionInfo>, turns: TurnCounter, tools: Map<string, ToolCall[]>, events: UsageEvent[]): RowOutcome {
  let json: unknown;
  try {
    json = JSON.parse(row.data);
  } catch {
    // The parser's message can quote the content; the reason alone is enough to find the row.
    return { malformed: 'data: invalid JSON' };
  }
  const parsed = messageDataSchema.safeParse(json);
  if (!parsed.success) return malformed(parsed.error);
  const data = parsed.data;
  if (data.role === 'user') {
    turns.addPrompt(row.sessionId, row.id);
    return 'other';
  }

  const tokens = data.tokens;
  const cacheRead = tokens?.cache?.read ?? 0;
  const cacheWrite = tokens?.cache?.write ?? 0;
  // Aborted and errored responses are saved with all-zero tokens: nothing was billed.
  if (!tokens || tokens.input + tokens.output + tokens.reasoning + cacheRead + cacheWrite === 0) return 'skipped';
  if (!data.modelID) return { malformed: 'data.modelID: missing, the response cannot be priced' };
  const timestampMs = data.time?.created ?? row.createdMs;
  if (timestampMs == null) return { malformed: 'data.time.created: missing, the response cannot be placed in time' };

  const billed = billedOutput(tokens);
  const session = sessions.get(row.sessionId);
  const rootId = rootSession(row.sessionId, sessions);
  const isSidechain = rootId !== row.sessionId;
  events.push({
    agent: 'opencode',
    // Like Claude Code's sidechains, a sub-agent session's traffic is filed under the session that spawned it.
    sessionId: rootId,
    project: projectName(session, data),
    requestKey: `opencode:${row.id}`,
    timestampMs,
    model: data.modelID,
    // OpenCode reports one cache-write kind; the 5-minute column is the default-duration one.
    tokens: { input: tokens.input, output: billed.output, cacheWrite5m: cacheWrite, cacheWrite1h: 0, cacheRead },
    reasoningOutput: billed.reasoningOutput,
    // The `websearch` tool is a tool call (phase exploration), not a provider-billed search.
    webSearchRequests: 0,
    isSidechain,
    agentId: isSidechain ? row.sessionId : null,
    tools: tools.get(row.id) ?? [],
    turn: turns.turnOf(row.sessionId, data.parentID),
    speed: 'standard',
    agentVersion: session?.version || null,
    entrypoint: null,
    gitBranch: null,
  });
  return 'response';
}

/**
 * Prompts per session, in order. A response answers the prompt its `parentID` names; without one
 * (or when that prompt is in another store), the session's latest prompt so far.
 */
class TurnCounter {
  private readonly promptTurn = new Map<string, number>();
  private readonly latest = new Map<string, number>();

  addPrompt(sessionId: string, messageId: string): void {
    const turn = (this.latest.get(sessionId) ?? 0) + 1;
    this.latest.set(sessionId, turn);
    this.promptTurn.set(messageId, turn);
  }

  turnOf(sessionId: string, parentId: string | null | undefined): number {
    return (parentId ? this.promptTurn.get(parentId) : undefined) ?? this.latest.get(sessionId) ?? 0;
  }
}

/** The top of a session's parent chain; a cycle (damaged data) stops where it closes. */
export function rootSession(sessionId: string, sessions: Map<string, SessionInfo>): string {
  const visited = new Set([sessionId]);
  let current = sessionId;
  for (let parent = sessions.get(current)?.parentId; parent && !visited.has(parent); parent = sessions.get(current)?.parentId) {
    visited.add(parent);
    current = parent;
  }
  return current;
}

/** A session and every session it spawned, directly or through its sub-agents. */
export function sessionFamily(sessionId: string, sessions: Map<string, SessionInfo>): string[] {
  const family = [sessionId];
  for (let index = 0; index < family.length; index += 1) {
    for (const [id, info] of sessions) if (info.parentId === family[index] && !family.includes(id)) family.push(id);
  }
  return family;
}

/**
 * A local grouping key, never a full path: the git worktree's folder name (the same from any
 * subfolder), else the session's working folder name.
 */
function projectName(session: SessionInfo | undefined, data: MessageData): string {
  const root = data.path?.root;
  const folder = (root && !/^(?:[/\\]|[A-Za-z]:[/\\]?)$/.test(root) ? root : null) || session?.directory || data.path?.cwd || '';
  return folder.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? '';
}

function malformed(error: ZodError): RowOutcome {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `data.${issue.path.map(String).join('.')}: ` : 'data: ';
  return { malformed: `${where}${issue?.message ?? 'invalid'}` };
}
