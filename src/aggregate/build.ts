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
  /** The valid summaries read from the branch. */
  summaries: SessionSummary[];
  /** The blob each summary was read from (same order), so a later night can reuse its row. */
  blobs?: readonly string[];
  /** Rows of files still on the branch that an earlier partial already holds (not read again). */
  reused?: readonly SessionRow[];
  /** Files on the branch that were not a valid summary (reported, then skipped). */
  invalidFiles: number;
}

export interface BuildOptions {
  /** IANA time zone of the daily rows' dates. */
  timezone: string;
  /** tokenledger version building the partial. */
  builtBy: string;
  /** `off` keeps no developer in the rows (the Action's `developers` input); default pseudonymous. */
  developers?: 'pseudonymous' | 'off';
}

/**
 * Aggregates the summaries of some repositories. A session id captured more than once keeps
 * its newest capture (newest parser, then latest `endedAt`, then most requests; see
 * `compareCaptures`), also across repositories; `duplicateSessions` counts the ones dropped.
 */
export function buildPartial(inputs: readonly PartialInput[], options: BuildOptions): AggregatePartial {
  assertTimeZone(options.timezone);
  const rows: SessionRow[] = [];
  for (const input of inputs) {
    input.summaries.forEach((summary, i) => rows.push(toSessionRow(input.repository, summary, input.blobs?.[i])));
    for (const row of input.reused ?? []) rows.push(row);
  }
  if (options.developers === 'off') for (const [i, row] of rows.entries()) rows[i] = { ...row, developer: null };
  return assemblePartial({
    timezone: options.timezone,
    builtBy: options.builtBy,
    sources: inputs.map((input) => ({ repository: input.repository, dataRef: input.dataRef, tip: input.tip, files: input.summaries.length + (input.reused?.length ?? 0), invalidFiles: input.invalidFiles })),
    rows,
    duplicatesDropped: 0,
  });
}
