/**
 * Summaries read from `token-data` branches -> one partial (pure). `PartialBuilder` takes them
 * one at a time, so a reader can hand each summary over as it is parsed and let it go: what is
 * held is the compact session rows, never the summaries (bench: a million sessions).
 */
import { assertTimeZone } from '../dates.js';
import type { SessionSummary } from '../summary/schema.js';
import { assemblePartial } from './assemble.js';
import type { AggregatePartial, PartialSource, SessionDetail, SessionRow } from './partial-schema.js';
import { SessionPool } from './session-pool.js';
import { sessionDetail, toSessionRow } from './session-row.js';

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

/** What one data branch contributes, fed as it is read. */
export interface SourceFeed {
  /** A valid summary, read from `blob` when known. */
  addSummary(summary: SessionSummary, blob?: string): void;
  /** A row an earlier partial holds for a file still on the branch (not read again). */
  addRow(row: SessionRow): void;
  /** A file that was not a valid summary (reported by the caller, then skipped). */
  skipInvalid(): void;
}

/**
 * Aggregates the summaries of some repositories. A session id captured more than once keeps
 * its newest capture (newest parser, then latest `endedAt`, then most requests; see
 * `compareCaptures`), also across repositories; `duplicateSessions` counts the ones dropped.
 */
export class PartialBuilder {
  private readonly pool = new SessionPool();
  private readonly sources: PartialSource[] = [];
  /** Captures the partials added had already dropped. */
  private duplicatesDropped = 0;

  constructor(private readonly options: BuildOptions) {
    assertTimeZone(options.timezone);
  }

  /** Starts the source of one data branch; its file counts grow as it is fed. */
  source(repository: string, dataRef: string, tip: string | null): SourceFeed {
    const source: PartialSource = { repository, dataRef, tip, files: 0, invalidFiles: 0 };
    this.sources.push(source);
    const add = (row: SessionRow, detail?: () => SessionDetail) => {
      source.files++;
      this.add(row, detail);
    };
    return {
      addSummary: (summary, blob) => add(toSessionRow(repository, summary, blob), () => sessionDetail(summary)),
      addRow: (row) => add(row),
      skipInvalid: () => void source.invalidFiles++,
    };
  }

  /** Everything another partial holds (a shard to merge, an earlier night's rows), as it holds it. */
  addPartial(partial: AggregatePartial): void {
    this.sources.push(...partial.sources);
    this.duplicatesDropped += partial.duplicateSessions;
    for (const row of partial.sessions) this.add(row);
  }

  finish(): AggregatePartial {
    return assemblePartial({ timezone: this.options.timezone, builtBy: this.options.builtBy, sources: this.sources, pool: this.pool, duplicatesDropped: this.duplicatesDropped });
  }

  private add(row: SessionRow, detail?: () => SessionDetail): void {
    this.pool.add(this.options.developers === 'off' && row.developer !== null ? { ...row, developer: null } : row, detail);
  }
}

/** `PartialBuilder` over summaries already in memory. */
export function buildPartial(inputs: readonly PartialInput[], options: BuildOptions): AggregatePartial {
  const builder = new PartialBuilder(options);
  for (const input of inputs) {
    const feed = builder.source(input.repository, input.dataRef, input.tip);
    input.summaries.forEach((summary, i) => feed.addSummary(summary, input.blobs?.[i]));
    for (const row of input.reused ?? []) feed.addRow(row);
    for (let i = 0; i < input.invalidFiles; i++) feed.skipInvalid();
  }
  return builder.finish();
}
