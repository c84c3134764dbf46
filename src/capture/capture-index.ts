/**
 * What this machine has captured: per transcript, its size and mtime when captured and the
 * summary it gave. The sweep compares it with the transcripts to find sessions never captured or
 * grown since; doctor reads it too. Append-only JSON lines, so hooks racing each other never lose
 * an entry (small appends are atomic); the newest line of a transcript wins.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stateDir } from './state-dir.js';

export interface CaptureRecord {
  transcript: string;
  size: number;
  mtimeMs: number;
  repo: string;
  /** Null when the session billed nothing (so it is not retried). */
  summaryId: string | null;
}

/** Past this many lines the index is rewritten with one line per transcript. */
const COMPACT_AT_LINES = 20_000;

function indexFile(env: NodeJS.ProcessEnv): string {
  return path.join(stateDir(env), 'captures.jsonl');
}

export async function recordCapture(env: NodeJS.ProcessEnv, record: CaptureRecord): Promise<void> {
  const file = indexFile(env);
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify({ ...record, at: new Date().toISOString() })}\n`);
}

/** The newest record of every transcript; damaged lines are skipped (they only cost a re-capture). */
export async function readCaptureIndex(env: NodeJS.ProcessEnv): Promise<Map<string, CaptureRecord & { at: string }>> {
  const text = await readFile(indexFile(env), 'utf8').catch(() => '');
  const records = new Map<string, CaptureRecord & { at: string }>();
  const lines = text.split('\n');
  for (const line of lines) {
    if (!line) continue;
    try {
      const record = JSON.parse(line) as CaptureRecord & { at: string };
      if (typeof record.transcript === 'string' && typeof record.size === 'number') records.set(record.transcript, record);
    } catch {
      // a line cut by a crash
    }
  }
  if (lines.length > COMPACT_AT_LINES) {
    const file = indexFile(env);
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, [...records.values()].map((record) => `${JSON.stringify(record)}\n`).join(''));
    await rename(temporary, file);
  }
  return records;
}
