/**
 * Parsed chat files -> usage events, each paid call once. Pure. The same call can be in several
 * files: a session copied from its hash-named folder to its named one (byte-identical in a real
 * sample), a legacy `.json` beside the `.jsonl` it was converted to, a resumed session's second
 * file. Calls are keyed by the chat's own session id and the message id.
 */
import type { UsageEvent } from '../events.js';
import type { GeminiChat, GeminiCall } from './parse.js';
import { isHashFolder, type GeminiChatFile } from './paths.js';

export interface ReadChat {
  file: GeminiChatFile;
  chat: GeminiChat;
}

export interface MergedEvents {
  events: UsageEvent[];
  /** Calls already emitted from another file, left out. */
  duplicates: number;
}

/**
 * `namesByHash` maps project-root hashes to short names (from `projects.json`); files in named
 * folders add their own `projectHash`, so a hash-named folder groups under its later name.
 */
export function mergeGeminiChats(chats: readonly ReadChat[], namesByHash: ReadonlyMap<string, string> = new Map()): MergedEvents {
  const names = new Map(namesByHash);
  for (const { file, chat } of chats) {
    if (!isHashFolder(file.project) && chat.projectHash) names.set(chat.projectHash, file.project);
  }
  // Named folders first, so a copied session takes the copy that Gemini reads today.
  const ordered = [...chats].sort((a, b) => Number(isHashFolder(a.file.project)) - Number(isHashFolder(b.file.project)));

  const seen = new Set<string>();
  const events: UsageEvent[] = [];
  let duplicates = 0;
  for (const { file, chat } of ordered) {
    const project = isHashFolder(file.project) ? (names.get(file.project) ?? names.get(chat.projectHash ?? '') ?? file.project) : file.project;
    for (const call of chat.calls) {
      const requestKey = `gemini:${chat.sessionId}:${call.messageId}`;
      if (seen.has(requestKey)) {
        duplicates += 1;
        continue;
      }
      seen.add(requestKey);
      events.push(toUsageEvent(call, chat, file, project, requestKey));
    }
  }
  return { events, duplicates };
}

function toUsageEvent(call: GeminiCall, chat: GeminiChat, file: GeminiChatFile, project: string, requestKey: string): UsageEvent {
  const { input, output, cached, thoughts, tool } = call.tokens;
  // `input` includes `cached`; clamped so a damaged record never makes plain input negative.
  const cacheRead = Math.min(cached, input);
  const isSidechain = file.parentSessionId !== null || chat.isSubagent;
  return {
    agent: 'gemini',
    // Subagent traffic is filed under the session that spawned it, as with Claude Code's sidechains.
    sessionId: file.parentSessionId ?? chat.sessionId,
    project,
    requestKey,
    timestampMs: call.timestampMs,
    model: call.model,
    tokens: {
      // The tool-use prompt is input that `input` leaves out (total = input + output + thoughts + tool).
      input: input - cacheRead + tool,
      // Thinking is billed as output; Gemini reports it apart from `output`.
      output: output + thoughts,
      // Gemini's usage metadata has no cache-write count (cached content is billed by storage time).
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      cacheRead,
    },
    reasoningOutput: thoughts,
    // `google_web_search` is a tool call whose own grounded request is not in the chat file.
    webSearchRequests: 0,
    isSidechain,
    agentId: isSidechain ? chat.sessionId : null,
    tools: call.tools,
    turn: call.turn,
    speed: 'standard',
    // Chat files record no CLI version, entry point or branch.
    agentVersion: null,
    entrypoint: null,
    gitBranch: null,
  };
}
