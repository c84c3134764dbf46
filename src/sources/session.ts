/**
 * The usage events of one session, given its transcript: a Claude Code `<session>.jsonl` (with
 * its subagent files), a Codex `rollout-*.jsonl` or a Gemini CLI chat file (`chats/*.json[l]`).
 * Used by `summarize`, the hook and the sweep.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserFacingError } from '../errors.js';
import type { Agent, UsageEvent } from './events.js';
import { readClaudeCode, sessionTranscriptFiles } from './claude-code/index.js';
import { isGeminiChat } from './gemini/paths.js';
import { parseOpenCodeTranscript } from './opencode/paths.js';

export interface SessionRead {
  agent: Agent;
  sessionId: string;
  events: UsageEvent[];
  /** Malformed lines seen, as `file:line: reason`. */
  warnings: string[];
}

export class TranscriptNotFoundError extends UserFacingError {}

/** Codex rollouts are named `rollout-<time>-<id>.jsonl`; everything else is read as Claude Code. */
export function isCodexRollout(file: string): boolean {
  return /^rollout-.*\.jsonl$/.test(path.basename(file));
}

export async function readSessionEvents(transcript: string): Promise<SessionRead> {
  if (isCodexRollout(transcript)) {
    const { parseCodexRollout } = await import('./codex/parse.js');
    const text = await readFile(transcript, 'utf8').catch(() => {
      throw new TranscriptNotFoundError(`${transcript}: no such transcript file`);
    });
    const read = parseCodexRollout(text, transcript);
    const sessionId = read.events[0]?.sessionId ?? path.basename(transcript, '.jsonl');
    return { agent: 'codex', sessionId, events: read.events, warnings: read.diagnostics.malformedSamples };
  }
  if (await isGeminiChat(transcript)) {
    const { readGeminiSession } = await import('./gemini/index.js');
    const read = await readGeminiSession(transcript);
    if (!read) throw new TranscriptNotFoundError(`${transcript}: no such transcript file`);
    return { agent: 'gemini', ...read };
  }
  // OpenCode keeps sessions in a database: `<path>/opencode.db#<sessionID>`, or a legacy `storage/message/<sessionID>` folder.
  const openCode = parseOpenCodeTranscript(transcript);
  if (openCode) {
    const { readOpenCodeSession } = await import('./opencode/index.js');
    const found = await readOpenCodeSession(openCode);
    if (!found) throw new TranscriptNotFoundError(`${transcript}: no such OpenCode session`);
    return { agent: 'opencode', sessionId: found.sessionId, events: found.read.events, warnings: found.read.diagnostics.malformedSamples };
  }
  const files = await sessionTranscriptFiles(transcript);
  if (files.length === 0 || files[0]!.path !== path.resolve(transcript)) throw new TranscriptNotFoundError(`${transcript}: no such transcript file`);
  const read = await readClaudeCode({ files, cacheDir: null });
  // Flat subagent files beside the transcript may belong to other sessions: keep this one's.
  const sessionId = read.events.find((event) => !event.isSidechain)?.sessionId ?? files[0]!.pathSessionId;
  return { agent: 'claude-code', sessionId, events: read.events.filter((event) => event.sessionId === sessionId), warnings: read.diagnostics.malformedSamples };
}
