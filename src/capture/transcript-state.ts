/**
 * A transcript's size and last change, as the capture index records them to notice a session that
 * grew. A file's `stat`; an OpenCode session inside a database (`<store>#<sessionID>`) has no file of
 * its own, so its rows (messages and parts, sub-agents included) and their newest update stand in.
 */
import { stat } from 'node:fs/promises';
import { parseOpenCodeTranscript } from '../sources/opencode/paths.js';

export interface TranscriptState {
  size: number;
  mtimeMs: number;
}

/** Throws like `stat` when the transcript is gone (an OpenCode session deleted from its store included). */
export async function transcriptState(transcript: string): Promise<TranscriptState> {
  const openCode = parseOpenCodeTranscript(transcript);
  if (openCode?.kind !== 'database') return stat(transcript);
  const { openCodeSessionState } = await import('../sources/opencode/index.js');
  const state = await openCodeSessionState(openCode);
  if (!state) throw new Error(`${transcript}: no such OpenCode session`);
  return state;
}
