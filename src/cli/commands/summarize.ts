/** `tokenledger summarize <transcript>`: the summary one session would produce. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { UsageEvent } from '../../sources/events.js';
import { readClaudeCode, sessionTranscriptFiles } from '../../sources/claude-code/index.js';
import { parseCodexRollout } from '../../sources/codex/index.js';
import { renderSessionSummary } from '../../report/session-text.js';
import { sessionSummarySchema } from '../../summary/schema.js';
import { summarizeSession } from '../../summary/summarize.js';
import { TOKENLEDGER_VERSION } from '../../version.js';
import { printJson, UserError, warn } from '../output.js';

export interface SummarizeFlags {
  json?: boolean;
}

/** Codex rollouts are named `rollout-<time>-<id>.jsonl`; everything else is read as Claude Code. */
function isCodexRollout(file: string): boolean {
  return /^rollout-.*\.jsonl$/.test(path.basename(file));
}

/** The events of the session `transcript` belongs to, with its subagents. */
export async function readSessionEvents(transcript: string): Promise<{ agent: 'claude-code' | 'codex'; sessionId: string; events: UsageEvent[]; warnings: string[] }> {
  if (isCodexRollout(transcript)) {
    const read = parseCodexRollout(await readFile(transcript, 'utf8'), transcript);
    const sessionId = read.events[0]?.sessionId ?? path.basename(transcript, '.jsonl');
    return { agent: 'codex', sessionId, events: read.events, warnings: read.diagnostics.malformedSamples };
  }
  const files = await sessionTranscriptFiles(transcript);
  if (files.length === 0) throw new UserError(`${transcript}: no such transcript file`);
  const read = await readClaudeCode({ files, cacheDir: null });
  const main = files[0]!;
  // Flat subagent files beside the transcript may belong to other sessions: keep this one's.
  const sessionId = read.events.find((event) => !event.isSidechain)?.sessionId ?? main.pathSessionId;
  return { agent: 'claude-code', sessionId, events: read.events.filter((event) => event.sessionId === sessionId), warnings: read.diagnostics.malformedSamples };
}

export async function runSummarize(transcript: string, flags: SummarizeFlags): Promise<void> {
  const { agent, sessionId, events, warnings } = await readSessionEvents(transcript);
  if (warnings.length > 0) warn(warnings);
  if (events.length === 0) throw new UserError(`${transcript}: no billed responses in this session`);
  const summary = sessionSummarySchema.parse(
    summarizeSession(events, { agent, sessionId, parser: TOKENLEDGER_VERSION, capturedBy: 'cli', developer: null, branch: null }),
  );
  if (flags.json) printJson(summary);
  else process.stdout.write(renderSessionSummary(summary));
}
