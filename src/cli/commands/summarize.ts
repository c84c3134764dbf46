/** `tokenledger summarize <transcript>`: the summary one session would produce. */
import { readSessionEvents } from '../../sources/session.js';
import { renderSessionSummary } from '../../report/session-text.js';
import { sessionSummarySchema } from '../../summary/schema.js';
import { summarizeSession } from '../../summary/summarize.js';
import { TOKENLEDGER_VERSION } from '../../version.js';
import { printJson, UserError, warn } from '../output.js';

export interface SummarizeFlags {
  json?: boolean;
  /** Show what capture would commit: anonymized for the repository, written nowhere. */
  dryRun?: boolean;
  repo?: string;
}

async function dryRun(transcript: string, flags: SummarizeFlags): Promise<void> {
  const { loadRepositoryContext, prepareSummary } = await import('../../capture/capture.js');
  const context = await loadRepositoryContext(flags.repo ?? process.cwd());
  const summary = await prepareSummary(transcript, context, 'hook');
  if (!summary) throw new UserError(`${transcript}: no billed responses in this session; nothing would be committed`);
  const { summaryPath } = await import('../../ledger/paths.js');
  if (!flags.json) process.stderr.write(`Would commit ${summaryPath(summary)} to ${context.config.dataBranch} in ${context.root}:\n`);
  for (const warning of context.warnings) process.stderr.write(`warning: ${warning}\n`);
  printJson(sessionSummarySchema.parse(summary));
}

export async function runSummarize(transcript: string, flags: SummarizeFlags): Promise<void> {
  if (flags.dryRun) return dryRun(transcript, flags);
  const { agent, sessionId, events, warnings } = await readSessionEvents(transcript);
  if (warnings.length > 0) warn(warnings);
  if (events.length === 0) throw new UserError(`${transcript}: no billed responses in this session`);
  const summary = sessionSummarySchema.parse(
    summarizeSession(events, { agent, sessionId, parser: TOKENLEDGER_VERSION, capturedBy: 'cli', developer: null, branch: null }),
  );
  if (flags.json) printJson(summary);
  else process.stdout.write(renderSessionSummary(summary));
}
