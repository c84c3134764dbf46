/** Summaries read from `token-data` branches -> one partial (pure). */
import { assertTimeZone } from '../dates.js';
import type { SessionSummary } from '../summary/schema.js';
import { assemblePartial } from './assemble.js';
import type { AggregatePartial, SessionRow } from './partial-schema.js';
import { toSessionRow } from './session-row.js';

export interface PartialInput {
  /** As configured: `owner/name`, a git URL or a local path. */
  repository: string;
  /** The ref the summaries were read from (`token-data`). */
  dataRef: string;
  /** Commit read; null when the branch does not exist. */
  tip: string | null;
  /** The valid summaries on the branch. */
  summaries: SessionSummary[];
  /** Files on the branch that were not a valid summary (reported, then skipped). */
  invalidFiles: number;
}

export interface BuildOptions {
  /** IANA time zone of the daily rows' dates. */
  timezone: string;
  /** tokenledger version building the partial. */
  builtBy: string;
}

/**
 * Aggregates the summaries of some repositories. A session id captured more than once keeps
 * its newest capture (newest parser, then latest `endedAt`, then most requests; see
 * `compareCaptures`), also across repositories; `duplicateSessions` counts the ones dropped.
 */
export function buildPartial(inputs: readonly PartialInput[], options: BuildOptions): AggregatePartial {
  assertTimeZone(options.timezone);
  const rows: SessionRow[] = [];
  for (const input of inputs) for (const summary of input.summaries) rows.push(toSessionRow(input.repository, summary));
  return assemblePartial({
    timezone: options.timezone,
    builtBy: options.builtBy,
    sources: inputs.map((input) => ({ repository: input.repository, dataRef: input.dataRef, tip: input.tip, files: input.summaries.length, invalidFiles: input.invalidFiles })),
    rows,
    duplicatesDropped: 0,
  });
}
