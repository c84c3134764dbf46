/**
 * Data downloads: the daily aggregates by day × repository × model × agent as CSV and JSON.
 * Developers are summed away: downloads are for analysis, and a per-developer file would be the
 * leaderboard the site refuses to draw.
 */
import { TOKEN_TYPES } from '../../sources/events.js';
import type { SiteContext } from '../context.js';

export interface DownloadRow {
  date: string;
  repository: string;
  model: string;
  agent: string;
  sessions: number;
  requests: number;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  total: number;
  costUSD: number;
  unpricedRequests: number;
}

export interface DataFiles {
  rows: DownloadRow[];
  csv: string;
  json: string;
}

const COLUMNS: (keyof DownloadRow)[] = ['date', 'repository', 'model', 'agent', 'sessions', 'requests', ...TOKEN_TYPES, 'total', 'costUSD', 'unpricedRequests'];

export function dataFiles(context: SiteContext): DataFiles {
  const rows = new Map<string, DownloadRow>();
  for (const row of context.daily) {
    const key = `${row.date}\0${row.repository}\0${row.model}\0${row.agent}`;
    let entry = rows.get(key);
    if (!entry) rows.set(key, (entry = { date: row.date, repository: row.repository, model: row.model, agent: row.agent, sessions: 0, requests: 0, input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, total: 0, costUSD: 0, unpricedRequests: 0 }));
    // Summed over developers: a session counts once per model row, as in the daily rows.
    entry.sessions += row.sessions;
    entry.requests += row.requests;
    for (const type of TOKEN_TYPES) entry[type] += row.tokens[type];
    entry.total += row.tokens.total;
    entry.costUSD = Math.round((entry.costUSD + row.costUSD) * 1e6) / 1e6;
    entry.unpricedRequests += row.unpricedRequests;
  }
  const sorted = [...rows.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : a.agent < b.agent ? -1 : 1));
  const csv = [COLUMNS.join(','), ...sorted.map((row) => COLUMNS.map((column) => csvCell(row[column])).join(','))].join('\r\n') + '\r\n';
  return { rows: sorted, csv, json: `${JSON.stringify({ schema: 'tokenledger.daily/1', timezone: context.options.timezone, columns: COLUMNS, rows: sorted })}\n` };
}

/**
 * RFC 4180 quoting, plus a leading apostrophe on text that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`): repository and model names come from data.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
