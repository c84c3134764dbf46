/**
 * Claude Code's `stats-cache.json` (what `/usage` shows), beside `projects/` in each config folder,
 * read so `doctor` can hold it against the transcripts (`stats-reconcile.ts`).
 *
 * The shape is reverse-engineered by others (shared/reference/agent-integration.md §3.1), so the
 * schema checks only the fields we compare and lets the rest through.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { dayKeyIn } from '../../dates.js';
import { describeZodIssues, UserFacingError } from '../../errors.js';
import { claudeProjectsDirs } from './paths.js';
import { readClaudeCode } from './index.js';
import { reconcileStatsCache, type StatsCacheReconciliation } from './stats-reconcile.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const tokens = z.number().nonnegative();

export const statsCacheSchema = z.looseObject({
  version: z.number().optional(),
  /** The last local day the cache was computed through; later days are not in it yet. */
  lastComputedDate: day.nullish(),
  /** Per local day and model: input + output tokens (measured, see stats-reconcile.ts). */
  dailyModelTokens: z.array(z.looseObject({ date: day, tokensByModel: z.record(z.string(), tokens) })).default([]),
  /** Lifetime totals per model; kept when old days drop out of `dailyModelTokens`. */
  modelUsage: z
    .record(
      z.string(),
      z.looseObject({ inputTokens: tokens.optional(), outputTokens: tokens.optional(), cacheReadInputTokens: tokens.optional(), cacheCreationInputTokens: tokens.optional() }),
    )
    .optional(),
});
export type StatsCache = z.infer<typeof statsCacheSchema>;

/** The stats cache is unreadable or not the shape we compare; the message names file and field. */
export class StatsCacheError extends UserFacingError {}

export const STATS_CACHE_FILE = 'stats-cache.json';

/** The config folders whose stats caches describe the transcripts we read (`CLAUDE_CONFIG_DIR` or the defaults). */
export function claudeConfigDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return claudeProjectsDirs(env).map((projects) => path.dirname(projects));
}

/** Parses a stats cache's text; `file` names it in errors. */
export function parseStatsCache(text: string, file: string): StatsCache {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StatsCacheError(`${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = statsCacheSchema.safeParse(json);
  if (!parsed.success) throw new StatsCacheError(describeZodIssues(parsed.error.issues).map((problem) => `${file}: ${problem}`).join('\n'));
  return parsed.data;
}

export interface StatsCacheCheck {
  file: string;
  /** The time zone days were read in (this machine's: Claude Code ran here too). */
  timeZone: string;
  reconciliation?: StatsCacheReconciliation;
  /** Why the cache could not be compared. */
  error?: string;
}

export interface StatsCacheCheckOptions {
  env?: NodeJS.ProcessEnv;
  timeZone: string;
  /** The transcript read cache (as reports use it), or null to read afresh. */
  cacheDir: string | null;
}

/** Compares each config folder's stats cache, where there is one, with that folder's transcripts. */
export async function checkStatsCaches(options: StatsCacheCheckOptions): Promise<StatsCacheCheck[]> {
  const env = options.env ?? process.env;
  const checks: StatsCacheCheck[] = [];
  for (const dir of claudeConfigDirs(env)) {
    const file = path.join(dir, STATS_CACHE_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      if (code !== 'ENOENT') checks.push({ file, timeZone: options.timeZone, error: `${file}: unreadable (${message})` });
      continue; // no cache here: nothing to compare
    }
    try {
      const cache = parseStatsCache(text, file);
      const read = await readClaudeCode({ env: { ...env, CLAUDE_CONFIG_DIR: dir }, cacheDir: options.cacheDir });
      checks.push({ file, timeZone: options.timeZone, reconciliation: reconcileStatsCache(cache, read.events, dayKeyIn(options.timeZone)) });
    } catch (error) {
      if (!(error instanceof StatsCacheError)) throw error;
      checks.push({ file, timeZone: options.timeZone, error: error.message });
    }
  }
  return checks;
}
