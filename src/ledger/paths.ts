/**
 * Where things live on the data branch (DESIGN.md §5): one file per session at
 * `sessions/YYYY/MM/DD/<id>.json`, dated by the UTC day the session started.
 */
import type { SessionSummary } from '../summary/schema.js';

/** The orphan branch that holds the summaries. */
export const DATA_REF = 'refs/heads/token-data';

/** The folder of per-session files; other top-level folders (e.g. `archive/`) are left alone. */
export const SESSIONS_DIR = 'sessions';

const SUMMARY_PATH = /^sessions\/(\d{4})\/(\d{2})\/(\d{2})\/(ses_[0-9a-f]{12,32})\.json$/;

export interface SummaryPathParts {
  id: string;
  /** `YYYY-MM-DD`, the UTC day the session started. */
  date: string;
}

/** `sessions/YYYY/MM/DD/<id>.json`. `startedAt` is ISO-8601 UTC, so its first ten characters are the UTC date. */
export function summaryPath(summary: Pick<SessionSummary, 'id' | 'startedAt'>): string {
  const [year, month, day] = summary.startedAt.slice(0, 10).split('-');
  return `${SESSIONS_DIR}/${year}/${month}/${day}/${summary.id}.json`;
}

/** The id and date of a session file path, or undefined for any other path. */
export function parseSummaryPath(path: string): SummaryPathParts | undefined {
  const match = SUMMARY_PATH.exec(path);
  if (!match) return undefined;
  const [, year, month, day, id] = match;
  return { id: id!, date: `${year}-${month}-${day}` };
}

/**
 * Where we remember the remote's tip of `ref` after a fetch or push, e.g.
 * `refs/tokenledger/remotes/origin/token-data`. A private ref rather than `refs/remotes/<remote>/…`:
 * our background fetch should not move the developer's remote-tracking refs, and it must work
 * whatever fetch refspec the remote has (single-branch clones track only their branch).
 */
export function remoteTipRef(remote: string, ref: string): string {
  return `refs/tokenledger/remotes/${remote}/${ref.replace(/^refs\/heads\//, '')}`;
}

/** `refs/heads/token-data` -> `refs/remotes/origin/token-data`: where a plain `git fetch` would put it. */
export function trackingRef(remote: string, ref: string): string {
  return `refs/remotes/${remote}/${ref.replace(/^refs\/heads\//, '')}`;
}
