/**
 * The last reports computed on this machine, each under a key of everything it depends on: the
 * report's options, this tokenledger build, and the path, size and mtime of every log file the
 * read would open (`sources/inputs.ts`). A repeated report with nothing changed is printed from
 * here without reading a log: the read cache's events snapshot still costs decoding every event
 * and adding them up again (about 0.3 s for 1 GB of transcripts), this costs the file listing.
 *
 * Kept beside the read cache (`reports.json`, checked and written atomically like it), a few
 * entries, newest first: anything that does not check out is a miss, never a wrong report.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCheckedSync, writeCheckedSync } from '../sources/cache.js';
import { TOKENLEDGER_VERSION } from '../version.js';

const FORMAT = 1;
/** Reports kept: a few kinds and options in turn, not every one ever asked for. */
const KEEP = 8;

/**
 * This build of tokenledger: its version and the size and mtime of the file this code runs from.
 * `npm run build` writes every bundle file anew, so a rebuilt CLI never answers from a report
 * the previous build computed, version bump or not.
 */
function buildIdentity(): string {
  try {
    const info = statSync(fileURLToPath(import.meta.url));
    return `${TOKENLEDGER_VERSION}:${info.size}:${info.mtimeMs}`;
  } catch {
    return TOKENLEDGER_VERSION;
  }
}

/** The key of a report: a hash of the build and of `parts` (options and input fingerprints, as JSON). */
export function reportKey(parts: unknown): string {
  return createHash('sha1').update(JSON.stringify([FORMAT, buildIdentity(), parts])).digest('hex');
}

interface StoredReports {
  format: number;
  entries: { key: string; value: unknown }[];
}

function file(dir: string): string {
  return path.join(dir, 'reports.json');
}

function load(dir: string): StoredReports['entries'] {
  const stored = readCheckedSync(file(dir)) as StoredReports | undefined;
  return stored?.format === FORMAT && Array.isArray(stored.entries) ? stored.entries : [];
}

/** The value stored under `key`, or undefined. */
export function loadReport<T>(dir: string, key: string): T | undefined {
  return load(dir).find((entry) => entry.key === key)?.value as T | undefined;
}

/** Stores `value` under `key`, newest first; a cache that cannot be written only costs speed. */
export function saveReport(dir: string, key: string, value: unknown): void {
  try {
    const entries = [{ key, value }, ...load(dir).filter((entry) => entry.key !== key)].slice(0, KEEP);
    writeCheckedSync(file(dir), [JSON.stringify({ format: FORMAT, entries } satisfies StoredReports)]);
  } catch {
    // read-only or full: the next report computes again
  }
}
