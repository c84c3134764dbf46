/**
 * Golden tests on the real Claude Code transcripts in ../shared/fixtures/real: token totals by
 * type must equal an independent count under the billing rule, on the files as published and on
 * a damaged copy (repeated snapshots, re-spaced JSON, shuffled lines, CRLF, broken lines added).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClaudeCode } from '../src/sources/claude-code/index.js';
import type { TokenCounts } from '../src/sources/events.js';
import { independentCount } from './helpers/independent-count.js';
import { arrangeClaudeProjects, hasRealFixtures } from './helpers/real-fixtures.js';
import { jsonlFilesBelow, respaced, seededRandom, shuffle } from './helpers/damage.js';
import { sumTokens } from './helpers/events.js';


/** Re-writes every file of a projects tree with the damage a real machine can do, seeded. */
async function damageCopy(configDir: string, seed: number): Promise<number> {
  const random = seededRandom(seed);
  let broken = 0;
  for (const file of await jsonlFilesBelow(configDir)) {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    const out: string[] = [];
    for (const line of lines) {
      const value = JSON.parse(line);
      const text = random() < 0.5 ? respaced(value) : line;
      out.push(text);
      if (value.type === 'assistant' && random() < 0.4) out.push(random() < 0.5 ? respaced(value) : line); // a repeated snapshot
      if (random() < 0.08) {
        // A line cut short, as a crash mid-write leaves it.
        let cut = text.slice(0, Math.max(1, Math.floor(text.length * random())));
        while (cut.endsWith('}')) cut = cut.slice(0, -1);
        out.push(cut);
        broken++;
      }
    }
    shuffle(out, random);
    const eol = random() < 0.3 ? '\r\n' : '\n';
    await writeFile(file, out.join(eol) + (out.length > 0 ? eol : ''));
  }
  return broken;
}

describe.skipIf(!hasRealFixtures)('real Claude Code transcripts', () => {
  let configDir: string;
  let expected: { tokens: TokenCounts; responses: number };

  beforeAll(async () => {
    configDir = await arrangeClaudeProjects(await mkdtemp(path.join(tmpdir(), 'tl-real-')));
    const files = await jsonlFilesBelow(configDir);
    expected = independentCount(await Promise.all(files.map((file) => readFile(file, 'utf8'))));
  });
  afterAll(async () => {
    await rm(configDir, { recursive: true, force: true });
  });

  it('counts every token type exactly as the independent count does', async () => {
    const read = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: configDir }, cacheDir: null });
    expect(sumTokens(read.events)).toEqual({ ...expected.tokens, reasoningOutput: 0 });
    expect(read.diagnostics.responses).toBe(expected.responses);
    expect(read.diagnostics.malformedLines).toBe(0);
    // The published files repeat snapshot lines: summing lines would have counted them again.
    expect(read.diagnostics.duplicateLines).toBeGreaterThan(0);
    expect(read.diagnostics.filesRead).toBe((await jsonlFilesBelow(configDir)).length);
  });

  it('skips <synthetic> notices and counts them as non-billing lines', async () => {
    const read = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: configDir }, cacheDir: null });
    expect(read.events.some((event) => event.model === '<synthetic>')).toBe(false);
    expect(read.diagnostics.skippedLines).toBeGreaterThan(0);
  });

  it('attributes subagent files of both layouts to their parent session', async () => {
    const read = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: configDir }, cacheDir: null });
    const projects = await readdir(path.join(configDir, 'projects'));
    const nested = read.events.filter((event) => event.isSidechain && event.agentId && !event.agentId.startsWith('acompact'));
    expect(nested.length).toBeGreaterThan(0);
    // Every subagent event carries a session id that is not the subagent's own file name.
    for (const event of nested) expect(event.sessionId).not.toMatch(/^agent-/);
    expect(projects.length).toBeGreaterThan(10);
  });

  it.each([1, 2, 3])('gives the same totals on a damaged copy (seed %i) and reports the broken lines', async (seed) => {
    const damaged = await arrangeClaudeProjects(await mkdtemp(path.join(tmpdir(), 'tl-damaged-')));
    try {
      const broken = await damageCopy(damaged, seed);
      const read = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: damaged }, cacheDir: null });
      expect(sumTokens(read.events)).toEqual({ ...expected.tokens, reasoningOutput: 0 });
      expect(read.diagnostics.responses).toBe(expected.responses);
      expect(broken).toBeGreaterThan(0);
      expect(read.diagnostics.malformedLines).toBe(broken);
      expect(read.diagnostics.malformedSamples[0]).toMatch(/\.jsonl:\d+: /);
    } finally {
      await rm(damaged, { recursive: true, force: true });
    }
  });
});
