import fc from 'fast-check';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_TYPES, type TokenCounts } from '../events.js';
import { loadFileStore } from '../cache.js';
import { CLAUDE_PARSER_VERSION, claudeProjectsDirs, readClaudeCode } from './index.js';

let root: string;
let configDir: string;
let cache: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tl-cc-'));
  configDir = path.join(root, 'claude');
  cache = path.join(root, 'cache');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function line(id: string, output: number, input = 100, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({
    type: 'assistant',
    sessionId: 'sess-1',
    requestId: `req_${id}`,
    timestamp: '2026-05-01T10:00:00.000Z',
    message: { id: `msg_${id}`, model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: input, output_tokens: output, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } },
    ...extra,
  })}\n`;
}

async function write(relative: string, text: string): Promise<string> {
  const file = path.join(configDir, 'projects', relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function totals(options: { cacheDir?: string | null } = {}): Promise<TokenCounts & { responses: number; malformed: number }> {
  const read = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: configDir }, cacheDir: options.cacheDir === undefined ? cache : options.cacheDir });
  const sum = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
  for (const event of read.events) for (const type of TOKEN_TYPES) sum[type] += event.tokens[type];
  return { ...sum, responses: read.diagnostics.responses, malformed: read.diagnostics.malformedLines };
}

describe('claudeProjectsDirs', () => {
  it('takes a comma-separated CLAUDE_CONFIG_DIR, each the config folder or its projects folder, and skips the defaults', () => {
    expect(claudeProjectsDirs({ CLAUDE_CONFIG_DIR: '/a, ~/b/projects,/a', HOME: '/home/me' })).toEqual(['/a/projects', '/home/me/b/projects']);
  });

  it('defaults to ~/.config/claude and ~/.claude', () => {
    expect(claudeProjectsDirs({ HOME: '/home/me' })).toEqual(['/home/me/.config/claude/projects', '/home/me/.claude/projects']);
    expect(claudeProjectsDirs({ HOME: '/home/me', XDG_CONFIG_HOME: '/xdg' })).toEqual(['/xdg/claude/projects', '/home/me/.claude/projects']);
  });
});

describe('readClaudeCode', () => {
  it('reads both subagent layouts and gives them the parent session', async () => {
    await write('-home-dev-app/sess-1.jsonl', line('a', 10));
    await write('-home-dev-app/sess-1/subagents/agent-a1b2c3.jsonl', line('b', 20, 100, { isSidechain: true, agentId: 'a1b2c3' }));
    await write('-home-dev-app/agent-d4e5f6a7.jsonl', line('c', 30, 100, { isSidechain: true, agentId: 'd4e5f6a7' }));
    const read = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: configDir }, cacheDir: null });
    const bySession = read.events.map((e) => [e.sessionId, e.agentId, e.isSidechain, e.project]);
    expect(bySession).toHaveLength(3);
    expect(bySession).toEqual(
      expect.arrayContaining([
        ['sess-1', 'a1b2c3', true, '-home-dev-app'],
        ['sess-1', 'd4e5f6a7', true, '-home-dev-app'],
        ['sess-1', null, false, '-home-dev-app'],
      ]),
    );
  });

  it('counts a response repeated in another file once (resumed sessions copy history)', async () => {
    await write('p/one.jsonl', line('a', 5) + line('b', 7));
    await write('p/two.jsonl', line('a', 50) + line('c', 9));
    expect(await totals({ cacheDir: null })).toMatchObject({ output: 50 + 7 + 9, responses: 3 });
  });

  it('does not stop on an unreadable file', async () => {
    await write('p/ok.jsonl', line('a', 5));
    await mkdir(path.join(configDir, 'projects', 'p', 'dir.jsonl')); // not a file: never listed
    const read = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: configDir }, cacheDir: null, files: [{ path: path.join(root, 'missing.jsonl'), project: 'p', pathSessionId: 'm', pathAgentId: null, size: 1, mtimeMs: 1 }] });
    expect(read.diagnostics.malformedLines).toBe(1);
    expect(read.diagnostics.malformedSamples[0]).toMatch(/missing\.jsonl: cannot be read \(ENOENT\)/);
  });
});

describe('the incremental cache', () => {
  it('trusts an unchanged file without reading it again', async () => {
    const file = await write('p/s.jsonl', line('a', 5));
    const when = 1_777_000_000; // whole seconds survive utimes exactly
    await utimes(file, when, when);
    const first = await totals();
    // Same size and mtime, other bytes: a cache that re-read the file would see 9.
    await writeFile(file, line('a', 9));
    await utimes(file, when, when);
    expect(await totals()).toEqual(first);
    expect(await totals({ cacheDir: null })).toMatchObject({ output: 9 });
  });

  it('reads only appended lines, merging a later snapshot of a response already counted', async () => {
    const file = await write('p/s.jsonl', line('a', 5) + line('b', 1));
    expect(await totals()).toMatchObject({ output: 6, responses: 2 });
    await appendFile(file, line('b', 40) + line('c', 3));
    expect(await totals()).toMatchObject({ output: 5 + 40 + 3, responses: 3 });
    expect(await totals()).toEqual(await totals({ cacheDir: null }));
  });

  it('counts a half-written last line only once it is complete', async () => {
    const file = await write('p/s.jsonl', line('a', 5));
    const half = line('b', 7).slice(0, 40);
    await appendFile(file, half);
    expect(await totals()).toMatchObject({ output: 5, malformed: 1 });
    await appendFile(file, line('b', 7).slice(40));
    expect(await totals()).toMatchObject({ output: 12, malformed: 0, responses: 2 });
  });

  it('rebuilds a file rewritten in place', async () => {
    const file = await write('p/s.jsonl', line('a', 5) + line('b', 6));
    await totals();
    await writeFile(file, line('x', 100) + line('y', 200) + line('z', 1));
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    expect(await totals()).toMatchObject({ output: 301, responses: 3 });
  });

  const storeFile = () => path.join(cache, 'claude-code.files.jsonl');
  /** The transcripts the store holds an entry for. */
  const storedPaths = () => [...loadFileStore(cache, 'claude-code', CLAUDE_PARSER_VERSION).keys()].map((file) => path.relative(path.join(configDir, 'projects'), file)).sort();

  it.each(['per-file store', 'events snapshot'])('ignores a corrupt %s and rebuilds it', async (which) => {
    const file = await write('p/s.jsonl', line('a', 5));
    await totals();
    const perFile = which === 'per-file store';
    // Make the transcript look changed so the snapshot cannot answer alone.
    if (perFile) await utimes(file, new Date(), new Date(Date.now() + 5000));
    const cacheFile = perFile ? storeFile() : path.join(cache, 'claude-code.events.bin');
    const bytes = await readFile(cacheFile);
    // Output 5 made 500, behind an unchanged checksum: as the store's text, or the snapshot's 64-bit numbers.
    const altered = perFile
      ? Buffer.from(bytes.toString('utf8').replace('100,5,0,0,0', '100,500,0,0,0'))
      : Buffer.from(bytes);
    if (!perFile) {
      const at = altered.indexOf(Buffer.from(new Float64Array([100, 5]).buffer));
      expect(at).toBeGreaterThan(0);
      altered.writeDoubleLE(500, at + 8);
    }
    expect(altered.equals(bytes)).toBe(false);
    await writeFile(cacheFile, altered);
    expect(await totals()).toMatchObject({ output: 5 });
    await writeFile(cacheFile, bytes.subarray(0, bytes.length / 2));
    expect(await totals()).toMatchObject({ output: 5 });
  });

  it('answers a repeated read of unchanged files from the events snapshot', async () => {
    await write('p/s.jsonl', line('a', 5) + line('b', 6));
    const first = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: configDir }, cacheDir: cache });
    // Without the per-file store, only the snapshot can answer.
    await rm(storeFile());
    const second = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: configDir }, cacheDir: cache });
    expect(second).toEqual(first);
  });

  it('drops the entries of transcripts that are gone', async () => {
    await write('p/a.jsonl', line('a', 5));
    const gone = await write('p/b.jsonl', line('b', 6));
    await totals();
    expect(storedPaths()).toEqual(['p/a.jsonl', 'p/b.jsonl']);
    await rm(gone);
    expect(await totals()).toMatchObject({ output: 5 });
    expect(storedPaths()).toEqual(['p/a.jsonl']);
  });

  it('keeps the entries of transcripts a --since read passed over, and reads them from the store later', async () => {
    const old = await write('p/old.jsonl', line('a', 5));
    await write('p/new.jsonl', line('b', 6));
    await utimes(old, 1_700_000_000, 1_700_000_000);
    await totals();
    const since = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: configDir }, cacheDir: cache, sinceMs: 1_750_000_000_000 });
    expect(since.events.map((event) => event.tokens.output)).toEqual([6]);
    expect(storedPaths()).toEqual(['p/new.jsonl', 'p/old.jsonl']);
    // Same size and mtime, other bytes: only an entry kept from the first read still says 5.
    await writeFile(old, line('a', 9));
    await utimes(old, 1_700_000_000, 1_700_000_000);
    await rm(path.join(cache, 'claude-code.events.bin'));
    expect(await totals()).toMatchObject({ output: 11, responses: 2 });
  });

  it('keeps one store file and one snapshot, and removes the cache files of earlier versions', async () => {
    await mkdir(path.join(cache, 'claude-code'), { recursive: true });
    await writeFile(path.join(cache, 'claude-code', `${'a'.repeat(40)}.json`), '{}');
    await write('p/a.jsonl', line('a', 5));
    await write('p/b.jsonl', line('b', 6));
    await totals();
    await writeFile(path.join(cache, 'claude-code.events.json'), '{}');
    await write('p/c.jsonl', line('c', 7));
    await totals();
    expect((await readdir(cache)).sort()).toEqual(['claude-code.events.bin', 'claude-code.files.jsonl']);
  });

  it('reads on when the cache folder cannot be written', async () => {
    await write('p/a.jsonl', line('a', 5));
    await writeFile(cache, 'a file where the cache folder should be');
    expect(await totals()).toMatchObject({ output: 5, responses: 1 });
  });

  it('stays correct when two reads overlap', async () => {
    for (let i = 0; i < 20; i++) await write(`p/s${i}.jsonl`, line(`m${i}`, i + 1));
    const [a, b] = await Promise.all([totals(), totals()]);
    expect(a).toEqual(b);
    expect(a.output).toBe((20 * 21) / 2);
    expect(await totals()).toEqual(a);
  });
});

describe('totals are invariant', () => {
  it('under line order, file splits and repeated snapshots', async () => {
    const response = fc.record({ output: fc.integer({ min: 1, max: 5000 }), input: fc.integer({ min: 0, max: 900 }), snapshots: fc.integer({ min: 1, max: 4 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(response, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), fc.infiniteStream(fc.nat()), async (responses, files, picks) => {
        await rm(configDir, { recursive: true, force: true });
        const lines: string[] = [];
        responses.forEach((r, i) => {
          // Earlier snapshots carry a placeholder output; the last one the final usage.
          for (let s = 1; s < r.snapshots; s++) lines.push(line(`r${i}`, Math.min(s, r.output), r.input));
          lines.push(line(`r${i}`, r.output, r.input));
        });
        const next = picks[Symbol.iterator]();
        const shuffled = lines.map((text) => ({ text, key: next.next().value as number })).sort((a, b) => a.key - b.key);
        const chunks: string[][] = Array.from({ length: files }, () => []);
        shuffled.forEach(({ text, key }) => chunks[key % files]!.push(text));
        for (const [i, chunk] of chunks.entries()) await write(`p/f${i}.jsonl`, chunk.join(''));
        const sum = await totals({ cacheDir: null });
        expect(sum.output).toBe(responses.reduce((total, r) => total + r.output, 0));
        expect(sum.input).toBe(responses.reduce((total, r) => total + r.input, 0));
        expect(sum.responses).toBe(responses.length);
      }),
      { numRuns: 40 },
    );
  });
});
