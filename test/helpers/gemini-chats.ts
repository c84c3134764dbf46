/**
 * Hand-written Gemini CLI chat records for tests, in the shapes Gemini CLI 0.61 writes (legacy
 * `.json` and append-only `.jsonl`), and a temp `~/.gemini` to put them in.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const PROJECT_HASH = 'a'.repeat(64);

export interface Tokens {
  input: number;
  output: number;
  cached: number;
  thoughts: number;
  tool: number;
  total: number;
}

/** Usage as Gemini records it: `input` includes `cached`; total = input + output + thoughts + tool. */
export function tokens(input: number, cached: number, output: number, thoughts = 0, tool = 0): Tokens {
  return { input, output, cached, thoughts, tool, total: input + output + thoughts + tool };
}

export function meta(sessionId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sessionId, projectHash: PROJECT_HASH, startTime: '2026-05-04T10:00:00.000Z', lastUpdated: '2026-05-04T10:05:00.000Z', ...extra };
}

export function user(id: string, minute = 0): Record<string, unknown> {
  return { id, timestamp: `2026-05-04T10:0${minute}:00.000Z`, type: 'user', content: [{ text: 'a prompt' }] };
}

export function gemini(id: string, usage: Tokens | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, timestamp: '2026-05-04T10:01:00.000Z', type: 'gemini', content: 'an answer', thoughts: [], tokens: usage, model: 'gemini-2.5-pro', ...extra };
}

export function toolCall(name: string, args: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: `${name}_1`, name, args, status: 'success', timestamp: '2026-05-04T10:01:00.000Z' };
}

/** One record per line, as the append-only format writes them. */
export function jsonl(...records: unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join('\n') + '\n';
}

/** A legacy chat file: pretty-printed, the whole conversation in one object. */
export function legacyChat(sessionId: string, messages: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...meta(sessionId, extra), messages }, null, 2);
}

/** A temp home folder; `put` writes a file below `~/.gemini`. */
export interface GeminiHome {
  home: string;
  gemini: string;
  put(relative: string, text: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function makeGeminiHome(): Promise<GeminiHome> {
  const home = await mkdtemp(path.join(tmpdir(), 'tokenledger-gemini-'));
  const gemini = path.join(home, '.gemini');
  return {
    home,
    gemini,
    async put(relative, text) {
      const file = path.join(gemini, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    },
    dispose: () => rm(home, { recursive: true, force: true }),
  };
}
