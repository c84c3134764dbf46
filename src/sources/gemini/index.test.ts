import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gemini, jsonl, legacyChat, makeGeminiHome, meta, tokens, toolCall, user, type GeminiHome } from '../../../test/helpers/gemini-chats.js';
import { sumTokens } from '../../../test/helpers/events.js';
import { usageEventSchema } from '../event-schema.js';
import { SOURCES } from '../index.js';
import { readSessionEvents, TranscriptNotFoundError } from '../session.js';
import { getGeminiChatFiles, readGeminiSessions } from './index.js';
import { projectRootHash } from './projects.js';

// Running as root (CI containers), file permissions cannot make a file unreadable; this can.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = (async (file: string, ...rest: unknown[]) => {
    if (String(file).includes('unreadable')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    return (actual.readFile as (...args: unknown[]) => Promise<unknown>)(file, ...rest);
  }) as typeof actual.readFile;
  return { ...actual, readFile };
});

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';
const HASH_FOLDER = projectRootHash('/work/app');

/**
 * One project seen through both layouts: session A as a legacy `.json` in the hash folder, the same
 * file copied to the named folder and converted there to `.jsonl` (which then grew); session B in
 * JSONL with `$set`/`$rewindTo`, a damaged line, a resume's second file and a subagent; session C.
 */
async function writeProject(home: GeminiHome) {
  const legacyA = legacyChat(A, [user('u1'), gemini('a1', tokens(1000, 400, 50, 10)), user('u2', 1), gemini('a2', tokens(1200, 1000, 60, 0, 5))]);
  const a3 = gemini('a3', tokens(1500, 1100, 70, 20), { timestamp: '2026-05-04T10:04:00.000Z' });
  const b1 = gemini('b1', tokens(2000, 0, 100, 40), { timestamp: '2026-05-05T09:01:00.000Z' });
  const b4 = gemini('b4', null, { timestamp: '2026-05-05T09:31:00.000Z' });
  await home.put('projects.json', JSON.stringify({ projects: { '/work/app': 'app' } }));
  return {
    hashA: await home.put(`tmp/${HASH_FOLDER}/chats/session-2026-05-04T10-00-aaaaaaaa.json`, legacyA),
    namedA: await home.put('tmp/app/chats/session-2026-05-04T10-00-aaaaaaaa.json', legacyA),
    convertedA: await home.put(
      'tmp/app/chats/session-2026-05-04T10-00-aaaaaaaa.jsonl',
      jsonl(meta(A), user('u1'), gemini('a1', tokens(1000, 400, 50, 10)), user('u2', 1), gemini('a2', tokens(1200, 1000, 60, 0, 5)), { $set: { sessionId: A } }, user('u3', 3), a3, { ...a3, toolCalls: [toolCall('write_file')] }),
    ),
    mainB: await home.put(
      'tmp/app/chats/session-2026-05-05T09-00-bbbbbbbb.jsonl',
      [
        jsonl(meta(B), user('u1'), { ...b1, tokens: null }, b1, { ...b1, toolCalls: [toolCall('run_shell_command', { command: 'npm test' })] }).trimEnd(),
        '{"id":"b0","type":"gemini","tokens":{"inp',
        jsonl({ $set: { summary: 'a task' } }, user('u2', 2), gemini('b2', tokens(2100, 1800, 30)), { $rewindTo: 'u2' }, user('u3', 3), gemini('b3', tokens(2200, 1900, 20))),
      ].join('\n'),
    ),
    resumedB: await home.put('tmp/app/chats/session-2026-05-05T09-30-bbbbbbbb.jsonl', jsonl(meta(B), b1, user('u4', 4), b4)),
    subagentB: await home.put(`tmp/app/chats/${B}/sub-1.jsonl`, jsonl(meta('sub-1', { kind: 'subagent' }), gemini('s1', tokens(500, 0, 40, 0, 3), { model: 'gemini-2.5-flash' }))),
    mainC: await home.put('tmp/app/chats/session-2026-05-06T08-00-cccccccc.jsonl', jsonl(meta(C), user('u1'), gemini('c1', tokens(10, 0, 1)))),
  };
}

describe('readGeminiSessions', () => {
  let home: GeminiHome;
  beforeEach(async () => {
    home = await makeGeminiHome();
  });
  afterEach(async () => {
    await home.dispose();
  });

  it('counts each paid call once across layouts, formats, copies and resumes', async () => {
    const files = await writeProject(home);
    const { events, diagnostics } = await readGeminiSessions({ env: { HOME: home.home } });

    expect(events.map((event) => event.requestKey).sort()).toEqual(
      ['a1', 'a2', 'a3'].map((id) => `gemini:${A}:${id}`).concat(['b1', 'b2', 'b3'].map((id) => `gemini:${B}:${id}`), [`gemini:${C}:c1`, 'gemini:sub-1:s1']).sort(),
    );
    expect(sumTokens(events)).toEqual({ input: 4318, output: 441, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 6200, reasoningOutput: 70 });
    expect(new Set(events.map((event) => event.project))).toEqual(new Set(['app']));
    expect(events.find((event) => event.requestKey.endsWith(':s1'))).toMatchObject({ sessionId: B, isSidechain: true, agentId: 'sub-1', model: 'gemini-2.5-flash' });
    expect(events.find((event) => event.requestKey.endsWith(':b1'))?.tools).toEqual([{ name: 'run_shell_command', phase: 'testing' }]);
    for (const event of events) usageEventSchema.parse(event);
    expect(diagnostics).toEqual({
      filesRead: 7,
      lines: 40,
      responses: 8,
      // Within files: a3 once, b1 twice; across files: a1 and a2 twice more, b1 once more.
      duplicateLines: 8,
      malformedLines: 1,
      skippedLines: 1,
      malformedSamples: [`${files.mainB}:6: invalid JSON (truncated line?)`],
    });
  });

  it('counts a file that cannot be read and reads the rest', async () => {
    await home.put('tmp/app/chats/session-2026-05-06T08-00-unreadable.jsonl', jsonl(meta(C)));
    const other = await home.put('tmp/app/chats/session-2026-05-06T08-00-cccccccc.jsonl', jsonl(meta(C), gemini('c1', tokens(10, 0, 1))));
    const { events, diagnostics } = await readGeminiSessions({ env: { HOME: home.home } });
    expect(events).toHaveLength(1);
    expect(diagnostics).toMatchObject({ filesRead: 1, malformedLines: 1 });
    expect(diagnostics.malformedSamples).toEqual([`${path.join(path.dirname(other), 'session-2026-05-06T08-00-unreadable.jsonl')}: cannot be read (EACCES)`]);
  });

  it('skips files last written before `since`', async () => {
    const { mainC } = await writeProject(home);
    const old = new Date('2026-01-01T00:00:00.000Z');
    for (const file of await getGeminiChatFiles({ HOME: home.home })) {
      if (file.path !== mainC) await utimes(file.path, old, old);
    }
    const { events } = await readGeminiSessions({ env: { HOME: home.home }, since: new Date('2026-02-01T00:00:00.000Z') });
    expect(events.map((event) => event.requestKey)).toEqual([`gemini:${C}:c1`]);
  });

  it('is the registry entry for gemini, reading nothing where Gemini never ran', async () => {
    expect(await SOURCES.gemini({ env: { HOME: home.home } })).toMatchObject({ events: [], diagnostics: { filesRead: 0 } });
    await writeProject(home);
    expect((await SOURCES.gemini({ env: { HOME: home.home } })).events).toHaveLength(8);
  });
});

describe('readSessionEvents on a Gemini chat file', () => {
  let home: GeminiHome;
  beforeEach(async () => {
    home = await makeGeminiHome();
  });
  afterEach(async () => {
    await home.dispose();
  });

  it('reads the whole session from any of its files: copies, the converted file and the latest growth', async () => {
    const files = await writeProject(home);
    for (const transcript of [files.hashA, files.namedA, files.convertedA]) {
      const read = await readSessionEvents(transcript);
      expect(read).toMatchObject({ agent: 'gemini', sessionId: A, warnings: [] });
      expect(read.events.map((event) => event.requestKey.split(':').pop()).sort()).toEqual(['a1', 'a2', 'a3']);
      expect(new Set(read.events.map((event) => event.project))).toEqual(new Set(['app']));
    }
  });

  it('reads a session with its resumed file and subagents, from the main file or the subagent file', async () => {
    const files = await writeProject(home);
    for (const transcript of [files.mainB, files.resumedB, files.subagentB]) {
      const read = await readSessionEvents(transcript);
      expect(read.sessionId).toBe(B);
      expect(read.events.map((event) => event.requestKey.split(':').pop()).sort()).toEqual(['b1', 'b2', 'b3', 's1']);
      expect(read.warnings).toEqual([`${files.mainB}:6: invalid JSON (truncated line?)`]);
    }
  });

  it('reports a missing chat file as not found', async () => {
    await expect(readSessionEvents(path.join(home.gemini, 'tmp/app/chats/session-2026-05-04T10-00-dddddddd.json'))).rejects.toThrow(TranscriptNotFoundError);
  });
});
