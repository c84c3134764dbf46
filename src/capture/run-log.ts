/**
 * The hook's diagnostic log: one JSON line per run (event, outcome, duration, reason), in the
 * local state folder, so a hook that must stay silent still tells `tokenledger doctor` what
 * happened. Never throws: logging must not be what breaks a session.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from './state-dir.js';

export interface RunRecord {
  at: string;
  /** `SessionEnd`, `SessionStart`, `sync`, `push`, … */
  event: string;
  outcome: string;
  durationMs: number;
  reason?: string;
  /** Summary id (a hash), never a path or a session's text. */
  summaryId?: string;
  repo?: string;
}

const LOG_FILE = 'hook-runs.jsonl';

export function logRun(env: NodeJS.ProcessEnv, record: Omit<RunRecord, 'at'>): void {
  try {
    const dir = stateDir(env);
    mkdirSync(dir, { recursive: true });
    appendFileSync(path.join(dir, LOG_FILE), `${JSON.stringify({ at: new Date().toISOString(), ...record })}\n`);
  } catch {
    // nowhere left to report to
  }
}

/** The last `count` runs, newest last. */
export function readRuns(env: NodeJS.ProcessEnv, count = 50): RunRecord[] {
  let text: string;
  try {
    text = readFileSync(path.join(stateDir(env), LOG_FILE), 'utf8');
  } catch {
    return [];
  }
  const runs: RunRecord[] = [];
  for (const line of text.split('\n').slice(-count - 1)) {
    try {
      if (line) runs.push(JSON.parse(line) as RunRecord);
    } catch {
      // a line cut by a crash
    }
  }
  return runs.slice(-count);
}
