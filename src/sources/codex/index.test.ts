import { copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usageEventSchema } from '../event-schema.js';
import { readCodexSessions } from './index.js';

// Running as root (CI containers), file permissions cannot make a file unreadable; this can.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = (async (file: string, ...rest: unknown[]) => {
    if (String(file).includes('unreadable')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    return (actual.readFile as (...args: unknown[]) => Promise<unknown>)(file, ...rest);
  }) as typeof actual.readFile;
  return { ...actual, readFile };
});

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FORK_PAIR = path.join(repoRoot, 'fixtures/codex/fork-pair');
const PARENT = '0196a1b2-0000-7000-8000-00000000aaaa';
const CHILD = '0196a1b2-0005-7000-8000-00000000cccc';
const PARENT_FILE = path.join(FORK_PAIR, `sessions/2026/05/01/rollout-2026-05-01T12-00-00-${PARENT}.jsonl`);

describe('readCodexSessions', () => {
  let home: string;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'tokenledger-codex-read-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  async function put(relative: string, text: string): Promise<string> {
    const file = path.join(home, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    return file;
  }

  it('reads a parent and its fork, each counting only its own responses', async () => {
    const { events, diagnostics } = await readCodexSessions({ env: { CODEX_HOME: FORK_PAIR } });

    expect(events.map((event) => [event.sessionId, event.tokens.input, event.tokens.cacheRead, event.tokens.cacheWrite5m, event.tokens.output])).toEqual([
      [PARENT, 200, 0, 800, 100],
      [PARENT, 200, 800, 500, 200],
      [CHILD, 100, 1300, 400, 50],
      [CHILD, 50, 1700, 250, 80],
    ]);
    expect(events.map((event) => event.tools.map((tool) => tool.phase))).toEqual([['exploration'], [], ['testing'], []]);
    expect(new Set(events.map((event) => event.requestKey)).size).toBe(4);
    for (const event of events) usageEventSchema.parse(event);
    expect(diagnostics).toEqual({ filesRead: 2, lines: 26, responses: 4, duplicateLines: 1, malformedLines: 0, skippedLines: 1, malformedSamples: [] });
  });

  it('counts an unreadable file and bad lines, keeps ten samples, and reads the rest', async () => {
    await put('sessions/2026/05/01/a-unreadable.jsonl', '');
    for (const name of ['b', 'c', 'd']) await put(`sessions/2026/05/01/${name}.jsonl`, '{"type":\n'.repeat(5));
    await mkdir(path.join(home, 'archived_sessions'));
    await copyFile(PARENT_FILE, path.join(home, 'archived_sessions/parent.jsonl'));

    const { events, diagnostics } = await readCodexSessions({ env: { CODEX_HOME: home } });

    expect(events).toHaveLength(2);
    expect(diagnostics).toMatchObject({ filesRead: 4, responses: 2, malformedLines: 16 });
    expect(diagnostics.malformedSamples).toHaveLength(10);
    expect(diagnostics.malformedSamples[0]).toBe(`${path.join(home, 'sessions/2026/05/01/a-unreadable.jsonl')}: cannot be read (EACCES)`);
    expect(diagnostics.malformedSamples[1]).toBe(`${path.join(home, 'sessions/2026/05/01/b.jsonl')}:1: invalid JSON (truncated line?)`);
  });

  it('skips files last written before `since`', async () => {
    const old = await put('sessions/2026/01/01/old.jsonl', await readFile(PARENT_FILE, 'utf8'));
    await utimes(old, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    await put('sessions/2026/05/01/new.jsonl', await readFile(PARENT_FILE, 'utf8'));

    const { events, diagnostics } = await readCodexSessions({ env: { CODEX_HOME: home }, since: new Date('2026-03-01T00:00:00Z') });
    expect(diagnostics.filesRead).toBe(1);
    expect(events).toHaveLength(2);
  });

  it('reads nothing, without error, when Codex never ran', async () => {
    expect(await readCodexSessions({ env: { HOME: home } })).toEqual({
      events: [],
      diagnostics: { filesRead: 0, lines: 0, responses: 0, duplicateLines: 0, malformedLines: 0, skippedLines: 0, malformedSamples: [] },
    });
  });
});
