/**
 * Hand-written Claude Code transcripts for tests (format: shared/reference/transcript-formats.md
 * §1). Builders return plain line objects; `writeTranscript` writes them as JSONL. A string line is
 * written as it is, so a test can plant a malformed line.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Line = Record<string, unknown>;

/** Fields every line of a session carries. */
export interface Envelope {
  sessionId: string;
  /** ISO-8601 UTC. */
  timestamp: string;
  cwd?: string;
  gitBranch?: string;
  version?: string;
  entrypoint?: string;
  /** Subagent lines: `isSidechain: true` and the agent id. */
  agentId?: string;
  isSidechain?: boolean;
}

export interface Usage {
  input?: number;
  output?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
  webSearchRequests?: number;
  speed?: 'standard' | 'fast';
}

export type Block =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AssistantSpec extends Envelope {
  messageId: string;
  /** Omit for lines without a request id (message id alone then keys the response). */
  requestId?: string;
  model?: string;
  /** The final usage, carried by the last line (the one with `stop_reason`). */
  usage: Usage;
  /** One line per block, as Claude Code writes a streamed response. */
  blocks: Block[];
  /** `output_tokens` of the snapshot lines before the last; default 1, 2, 3 … */
  partialOutputs?: number[];
}

function envelope(e: Envelope): Line {
  return {
    parentUuid: null,
    isSidechain: e.isSidechain ?? e.agentId !== undefined,
    userType: 'external',
    cwd: e.cwd ?? '/home/dev/app',
    sessionId: e.sessionId,
    version: e.version ?? '2.1.114',
    gitBranch: e.gitBranch ?? 'main',
    ...(e.agentId !== undefined ? { agentId: e.agentId } : {}),
    ...(e.entrypoint !== undefined ? { entrypoint: e.entrypoint } : {}),
    uuid: randomUUID(),
    timestamp: e.timestamp,
  };
}

/** The API usage object of a response. */
export function usageObject(u: Usage, output = u.output ?? 0): Line {
  const w5 = u.cacheWrite5m ?? 0;
  const w1 = u.cacheWrite1h ?? 0;
  return {
    input_tokens: u.input ?? 0,
    cache_creation_input_tokens: w5 + w1,
    cache_read_input_tokens: u.cacheRead ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: w5, ephemeral_1h_input_tokens: w1 },
    output_tokens: output,
    service_tier: 'standard',
    ...(u.webSearchRequests !== undefined ? { server_tool_use: { web_search_requests: u.webSearchRequests, web_fetch_requests: 0 } } : {}),
    ...(u.speed !== undefined ? { speed: u.speed } : {}),
  };
}

/**
 * The lines of one streamed response: one per block, all sharing `message.id` and `requestId`,
 * the earlier ones with a placeholder output count and the last with `stop_reason` and the final usage.
 */
export function assistantLines(spec: AssistantSpec): Line[] {
  const last = spec.blocks.length - 1;
  const hasTools = spec.blocks.some((block) => block.type === 'tool_use');
  return spec.blocks.map((block, index) => ({
    ...envelope(spec),
    message: {
      id: spec.messageId,
      type: 'message',
      role: 'assistant',
      model: spec.model ?? 'claude-opus-4-6',
      content: [block],
      stop_reason: index === last ? (hasTools ? 'tool_use' : 'end_turn') : null,
      stop_sequence: null,
      usage: usageObject(spec.usage, index === last ? spec.usage.output ?? 0 : (spec.partialOutputs?.[index] ?? index + 1)),
    },
    ...(spec.requestId !== undefined ? { requestId: spec.requestId } : {}),
    type: 'assistant',
  }));
}

/** A prompt typed by the user: starts a turn. */
export function userPrompt(e: Envelope & { text: string }): Line {
  return { ...envelope(e), type: 'user', message: { role: 'user', content: e.text }, permissionMode: 'default' };
}

/** The result of a tool call, sent back as a user line (does not start a turn). */
export function toolResult(e: Envelope & { toolUseId: string; content: string }): Line {
  return {
    ...envelope(e),
    type: 'user',
    message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: e.toolUseId, content: e.content, is_error: false }] },
    toolUseResult: { stdout: e.content, stderr: '', interrupted: false },
  };
}

/** A locally generated notice: an assistant line that bills nothing. */
export function syntheticLine(e: Envelope & { text: string }): Line {
  return {
    ...envelope(e),
    type: 'assistant',
    message: {
      id: randomUUID(),
      type: 'message',
      role: 'assistant',
      model: '<synthetic>',
      content: [{ type: 'text', text: e.text }],
      stop_reason: 'stop_sequence',
      stop_sequence: '',
      usage: usageObject({}),
    },
    isApiErrorMessage: false,
  };
}

function jsonl(lines: (Line | string)[]): string {
  return lines.map((line) => `${typeof line === 'string' ? line : JSON.stringify(line)}\n`).join('');
}

/**
 * Writes `lines` to `<dir>/<relativePath>` (folders created) and returns the file's path. With
 * `mtime`, the file's modification time is set too (transcripts are pruned by it).
 */
export async function writeTranscript(dir: string, relativePath: string, lines: (Line | string)[], mtime?: Date | string): Promise<string> {
  const file = path.join(dir, relativePath);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, jsonl(lines));
  if (mtime !== undefined) await setMtime(file, mtime);
  return file;
}

/** Appends lines to a transcript, as an agent does while a session runs. */
export async function appendTranscript(file: string, lines: (Line | string)[], mtime?: Date | string): Promise<void> {
  await appendFile(file, jsonl(lines));
  if (mtime !== undefined) await setMtime(file, mtime);
}

export async function setMtime(file: string, mtime: Date | string): Promise<void> {
  const when = typeof mtime === 'string' ? new Date(mtime) : mtime;
  await utimes(file, when, when);
}
