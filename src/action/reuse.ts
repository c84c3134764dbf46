/**
 * Last night's partial as a cache (input `previous-partial`): a data branch whose tip is the one
 * the previous partial recorded holds the same files, so its sessions are taken from there
 * instead of read again. Reading is what grows: every session ever captured is one blob to read
 * and one schema check, night after night, while a night adds a few. The branch is still fetched
 * (that is how its tip is known) and the default branch's trailers are still read (commits only),
 * so experiments always see the current trailers. A branch that moved is listed, and only its
 * files whose blob no previous row came from are read (collect.ts): a night reads what was added.
 *
 * Limits, by design: rows are reused as the previous run wrote them, so a change of `developers`
 * from off to pseudonymous, or a tokenledger release that parses differently, needs one run
 * without the cache. A previous partial that is missing or broken is no reason to fail a night:
 * every branch is then read, as on the first night.
 */
import { access } from 'node:fs/promises';
import type { AggregatePartial, PartialSource } from '../aggregate/index.js';
import { readPartialFile } from '../aggregate/partial-file.js';
import type { NightlyLog } from './collect.js';
import type { ReportOptions } from './inputs.js';

export async function readPreviousPartial(file: string, log: NightlyLog): Promise<AggregatePartial | undefined> {
  try {
    await access(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    log.info(`tokenledger: no previous partial at ${file} (a first night, or an expired cache): every data branch is read`);
    return undefined;
  }
  try {
    // Reused rows get their daily rows derived again (reusedPart), so those are not read.
    return await readPartialFile(file, { daily: false });
  } catch (error) {
    log.warning(`previous partial not usable, every data branch is read: ${error instanceof Error ? error.message : String(error)}`, { title: 'tokenledger: previous partial ignored' });
    return undefined;
  }
}

/**
 * The part of `previous` that belongs to `repositories`, as a partial to merge with tonight's
 * fresh one. Its `duplicateSessions` is the captures these repositories lost to a newer capture
 * (valid files read minus rows kept), so the merged count equals a full read's.
 */
export function reusedPart(previous: AggregatePartial, repositories: readonly string[], options: Pick<ReportOptions, 'dataBranch' | 'timezone'>): AggregatePartial {
  const names = new Set(repositories);
  const sources = previous.sources.filter((source) => names.has(source.repository) && source.dataRef === options.dataBranch).map(plainSource);
  // `developers: off` is applied by the builder these rows go into, as to rows read tonight.
  const sessions = previous.sessions.filter((row) => names.has(row.repository));
  const files = sources.reduce((sum, source) => sum + source.files, 0);
  // Session rows carry no day, so the daily rows are derived again in tonight's time zone.
  return { ...previous, timezone: options.timezone, sources, sessions, daily: [], duplicateSessions: files - sessions.length };
}

function plainSource(source: PartialSource): PartialSource {
  return { repository: source.repository, dataRef: source.dataRef, tip: source.tip, files: source.files, invalidFiles: source.invalidFiles };
}
