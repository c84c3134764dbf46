/** `tokenledger summarize <transcript>`: the summary one session would produce. */
import { readSessionEvents, TranscriptNotFoundError } from '../../sources/session.js';
import { renderSessionSummary } from '../../report/session-text.js';
import { sessionSummarySchema } from '../../summary/schema.js';
import { summarizeSession } from '../../summary/summarize.js';
import { TOKENLEDGER_VERSION } from '../../version.js';
import { printJson, UserError, warn } from '../output.js';

export interface SummarizeFlags {
  json?: boolean;
}

export async function runSummarize(transcript: string, flags: SummarizeFlags): Promise<void> {
  const { agent, sessionId, events, warnings } = await readSessionEvents(transcript).catch((error: unknown) => {
    throw error instanceof TranscriptNotFoundError ? new UserError(error.message) : error;
  });
  if (warnings.length > 0) warn(warnings);
  if (events.length === 0) throw new UserError(`${transcript}: no billed responses in this session`);
  const summary = sessionSummarySchema.parse(
    summarizeSession(events, { agent, sessionId, parser: TOKENLEDGER_VERSION, capturedBy: 'cli', developer: null, branch: null }),
  );
  if (flags.json) printJson(summary);
  else process.stdout.write(renderSessionSummary(summary));
}
