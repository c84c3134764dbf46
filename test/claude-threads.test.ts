/**
 * The built CLI reads Claude Code transcripts the same on one thread as on several: the real
 * transcripts of ../shared/fixtures/real (files of very different sizes, so the threads finish
 * them out of order), afresh, into an empty cache, and from that cache. Byte for byte: a cost is a
 * float sum, so even the order the responses are added in must not depend on the threads.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, run } from './helpers/process.js';
import { arrangeClaudeProjects, hasRealFixtures } from './helpers/real-fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/tokenledger.js');

let temp: string;
let configDir: string;

beforeAll(async () => {
  await ensureBuilt();
  temp = await mkdtemp(path.join(tmpdir(), 'tl-threads-'));
  if (hasRealFixtures) configDir = await arrangeClaudeProjects(path.join(temp, 'claude'));
}, 120_000);

afterAll(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

/** `report <kind> --json` with `threads` reading threads; stdout and stderr together. */
async function report(kind: string, threads: string, cache: string | null): Promise<string> {
  const env = { PATH: process.env.PATH, HOME: temp, TZ: 'UTC', NO_COLOR: '1', CLAUDE_CONFIG_DIR: configDir, TOKENLEDGER_THREADS: threads, XDG_CACHE_HOME: cache ?? path.join(temp, 'unused') };
  const result = await run(process.execPath, [BIN, 'report', kind, '--json', '--agent', 'claude', ...(cache ? [] : ['--no-cache'])], { env, cwd: temp });
  expect(result.code, result.stderr).toBe(0);
  return `${result.stdout}\n${result.stderr}`;
}

describe.skipIf(!hasRealFixtures)('reading on several threads', () => {
  it.each(['session', 'daily'])('gives the same %s report as one thread, afresh, cold and warm', { timeout: 120_000 }, async (kind) => {
    const expected = await report(kind, '1', null);
    expect(JSON.parse(expected.slice(0, expected.lastIndexOf('\n'))).rows.length).toBeGreaterThan(5);
    for (const threads of ['2', '3']) {
      expect(await report(kind, threads, null)).toBe(expected);
      const cache = await mkdtemp(path.join(temp, `cache-${threads}-`));
      expect(await report(kind, threads, cache)).toBe(expected);
      expect(await report(kind, threads, cache)).toBe(expected);
      // A cache written on several threads reads the same on one.
      expect(await report(kind, '1', cache)).toBe(expected);
    }
  });
});
