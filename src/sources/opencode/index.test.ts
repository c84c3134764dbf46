import { copyFile, mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRows, assistantData, createStore, toolData, userData, writeLegacyStore, type StoreSpec } from '../../../test/helpers/opencode-store.js';
import { usageEventSchema } from '../event-schema.js';
import { readUsage } from '../index.js';
import { readSessionEvents } from '../session.js';
import { findOpenCodeSessions, openCodeSessionState, readOpenCodeSession, readOpenCodeSessions } from './index.js';

/** One session with a prompt, two billed responses (one with tool calls) and a sub-agent's response. */
const SESSION: StoreSpec = {
  sessions: [{ id: 'ses_a', directory: '/work/app' }, { id: 'ses_sub', parentId: 'ses_a', directory: '/work/app' }],
  messages: [
    { id: 'msg_1', sessionId: 'ses_a', data: userData() },
    { id: 'msg_2', sessionId: 'ses_a', data: assistantData({ input: 100, output: 20, read: 1000, write: 300 }, { parentID: 'msg_1' }) },
    { id: 'msg_3', sessionId: 'ses_a', data: assistantData({ input: 10, output: 5 }, { parentID: 'msg_1' }) },
    { id: 'msg_4', sessionId: 'ses_sub', data: assistantData({ input: 7, output: 3 }) },
  ],
  parts: [
    { id: 'prt_1', messageId: 'msg_2', sessionId: 'ses_a', data: toolData('grep', { pattern: 'x' }) },
    { id: 'prt_2', messageId: 'msg_2', sessionId: 'ses_a', data: toolData('bash', { command: 'npm test' }) },
    { id: 'prt_3', messageId: 'msg_2', sessionId: 'ses_a', data: { type: 'text', text: 'done' } },
  ],
};

const summed = (events: { tokens: { input: number; output: number; cacheRead: number; cacheWrite5m: number } }[]) =>
  events.reduce((sum, { tokens }) => ({ input: sum.input + tokens.input, output: sum.output + tokens.output, cacheRead: sum.cacheRead + tokens.cacheRead, cacheWrite5m: sum.cacheWrite5m + tokens.cacheWrite5m }), { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0 });

describe('readOpenCodeSessions', () => {
  let home: string;
  let data: string;
  let db: string;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'tokenledger-opencode-read-'));
    data = path.join(home, 'xdg/opencode');
    db = path.join(data, 'opencode.db');
    await mkdir(data, { recursive: true });
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });
  const env = () => ({ HOME: home, XDG_DATA_HOME: path.join(home, 'xdg') });

  it('reads a store: one event per billed message, tool calls attached, sub-agents under their parent', async () => {
    createStore(db, SESSION).close();

    const { events, diagnostics } = await readOpenCodeSessions({ env: env() });

    expect(events.map((event) => [event.requestKey, event.sessionId, event.isSidechain, event.turn])).toEqual([
      ['opencode:msg_2', 'ses_a', false, 1],
      ['opencode:msg_3', 'ses_a', false, 1],
      ['opencode:msg_4', 'ses_a', true, 0],
    ]);
    expect(summed(events)).toEqual({ input: 117, output: 28, cacheRead: 1000, cacheWrite5m: 300 });
    expect(events[0]!.tools).toEqual([{ name: 'grep', phase: 'exploration' }, { name: 'bash', phase: 'testing' }]);
    for (const event of events) usageEventSchema.parse(event);
    expect(diagnostics).toEqual({ filesRead: 1, lines: 4, responses: 3, duplicateLines: 0, malformedLines: 0, skippedLines: 0, malformedSamples: [] });
  });

  it('reads the legacy JSON layout the same way', async () => {
    await writeLegacyStore(data, SESSION);

    const { events, diagnostics } = await readOpenCodeSessions({ env: { HOME: home, OPENCODE_DATA_DIR: data } });

    expect(events.map((event) => [event.requestKey, event.sessionId, event.agentVersion])).toEqual([
      ['opencode:msg_2', 'ses_a', '0.15.0'],
      ['opencode:msg_3', 'ses_a', '0.15.0'],
      ['opencode:msg_4', 'ses_a', '0.15.0'],
    ]);
    expect(events[0]!.tools.map((tool) => tool.name)).toEqual(['grep', 'bash']);
    expect(diagnostics).toMatchObject({ filesRead: 4, lines: 4, responses: 3, malformedLines: 0 });
  });

  it('counts a message kept in both the store and legacy JSON once', async () => {
    createStore(db, SESSION).close();
    await writeLegacyStore(data, { messages: [SESSION.messages![1]!, { id: 'msg_9', sessionId: 'ses_old', data: assistantData({ input: 50 }) }] });

    const { events, diagnostics } = await readOpenCodeSessions({ env: env() });

    expect(events.map((event) => event.requestKey)).toEqual(['opencode:msg_2', 'opencode:msg_3', 'opencode:msg_4', 'opencode:msg_9']);
    expect(summed(events).input).toBe(167);
    expect(diagnostics).toMatchObject({ filesRead: 3, lines: 6, responses: 4, duplicateLines: 1 });
  });

  it('counts malformed data rows and skips them, naming file and row id', async () => {
    createStore(db, {
      ...SESSION,
      messages: [...SESSION.messages!, { id: 'msg_5', sessionId: 'ses_a', data: '{"role":"assistant",' }, { id: 'msg_6', sessionId: 'ses_a', data: { role: 'robot' } }],
      parts: [...SESSION.parts!, { id: 'prt_4', messageId: 'msg_3', sessionId: 'ses_a', data: 'not json' }],
    }).close();

    const { events, diagnostics } = await readOpenCodeSessions({ env: env() });

    expect(events).toHaveLength(3);
    expect(diagnostics).toMatchObject({ lines: 6, responses: 3, malformedLines: 3 });
    expect(diagnostics.malformedSamples).toEqual([
      `${db}:prt_4: part data: invalid JSON, skipped (a tool call, if it was one, is not counted)`,
      `${db}:msg_5: data: invalid JSON`,
      `${db}:msg_6: data.role: Invalid option: expected one of "user"|"assistant"`,
    ]);
  });

  it('sees rows still in the write-ahead log of a store a writer holds open', async () => {
    const writer = createStore(db, {}, { wal: true });
    writer.pragma('wal_checkpoint(TRUNCATE)');
    addRows(writer, SESSION);
    try {
      expect((await stat(`${db}-wal`)).size).toBeGreaterThan(0);
      const { events } = await readOpenCodeSessions({ env: env() });
      expect(events).toHaveLength(3);

      // The rows are in the log only: the main file read alone holds none of them.
      const alone = path.join(home, 'alone/opencode');
      await mkdir(alone, { recursive: true });
      await copyFile(db, path.join(alone, 'opencode.db'));
      expect((await readOpenCodeSessions({ env: { HOME: home, OPENCODE_DATA_DIR: alone } })).events).toHaveLength(0);
    } finally {
      writer.close();
    }
  });

  it('reports a corrupt store with its reason, skips it and reads the others', async () => {
    await writeFile(db, 'this is not a SQLite database, just some bytes that are long enough to hold a header');
    createStore(path.join(data, 'opencode-beta.db'), SESSION).close();

    const { events, diagnostics } = await readOpenCodeSessions({ env: env() });

    expect(events).toHaveLength(3);
    expect(diagnostics).toMatchObject({ filesRead: 1, malformedLines: 1, malformedSamples: [`${db}: cannot be read (file is not a database)`] });
  });

  it('reports a store locked by a writer instead of waiting on it', async () => {
    const writer = createStore(db, SESSION);
    writer.pragma('locking_mode = EXCLUSIVE');
    writer.exec('BEGIN EXCLUSIVE');
    try {
      const { events, diagnostics } = await readOpenCodeSessions({ env: env() });
      expect(events).toEqual([]);
      expect(diagnostics.malformedSamples).toEqual([`${db}: cannot be read (database is locked)`]);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('skips a store last written before `sinceMs`', async () => {
    createStore(db, SESSION).close();
    await utimes(db, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    const read = await readOpenCodeSessions({ env: env(), sinceMs: Date.parse('2026-03-01T00:00:00Z') });
    expect(read.diagnostics.filesRead).toBe(0);
    expect(read.events).toEqual([]);
  });

  it('is the registry entry for `--agent opencode`, and reads nothing when OpenCode never ran', async () => {
    expect((await readUsage(['opencode'], { env: env() })).events).toEqual([]);
    createStore(db, SESSION).close();
    expect((await readUsage(['opencode'], { env: env() })).events).toHaveLength(3);
  });
});

describe('one OpenCode session', () => {
  let home: string;
  let db: string;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'tokenledger-opencode-session-'));
    db = path.join(home, 'opencode.db');
    createStore(db, {
      ...SESSION,
      sessions: [...SESSION.sessions!, { id: 'ses_other', directory: '/elsewhere' }],
      messages: [...SESSION.messages!, { id: 'msg_8', sessionId: 'ses_other', data: assistantData({ input: 1000 }) }],
    }).close();
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('reads `<store>#<sessionID>` with its sub-agents for summarize, and nothing of other sessions', async () => {
    const read = await readSessionEvents(`${db}#ses_a`);
    expect(read).toMatchObject({ agent: 'opencode', sessionId: 'ses_a', warnings: [] });
    expect(read.events.map((event) => event.requestKey)).toEqual(['opencode:msg_2', 'opencode:msg_3', 'opencode:msg_4']);
  });

  it("files a sub-agent session given directly under its top-level session", async () => {
    const found = await readOpenCodeSession({ kind: 'database', file: db, sessionId: 'ses_sub' });
    expect(found?.sessionId).toBe('ses_a');
    expect(found?.read.events.map((event) => event.requestKey)).toEqual(['opencode:msg_4']);
  });

  it('says when there is no such session or store', async () => {
    await expect(readSessionEvents(`${db}#ses_missing`)).rejects.toThrow(`${db}#ses_missing: no such OpenCode session`);
    await expect(readSessionEvents(`${home}/none.db#ses_a`)).rejects.toThrow('no such OpenCode session');
  });

  it('reads a legacy session folder', async () => {
    const data = path.join(home, 'legacy');
    await writeLegacyStore(data, SESSION);
    const read = await readSessionEvents(path.join(data, 'storage/message/ses_a'));
    expect(read.events.map((event) => event.requestKey)).toEqual(['opencode:msg_2', 'opencode:msg_3', 'opencode:msg_4']);
  });

  it("finds the top-level sessions recorded inside a folder, and a session's state moves when it grows", async () => {
    const env = { HOME: home, OPENCODE_DATA_DIR: home };
    expect(await findOpenCodeSessions((directory) => directory.startsWith('/work/app'), env)).toEqual([`${db}#ses_a`]);

    const before = await openCodeSessionState({ kind: 'database', file: db, sessionId: 'ses_a' });
    expect(before).toEqual({ size: 7, mtimeMs: expect.any(Number) });
    const append = new Database(db);
    addRows(append, { messages: [{ id: 'msg_10', sessionId: 'ses_sub', data: assistantData({ input: 1 }), createdMs: Date.parse('2026-07-01T00:00:00Z') }] });
    append.close();
    const after = await openCodeSessionState({ kind: 'database', file: db, sessionId: 'ses_a' });
    expect(after!.size).toBe(8);
    expect(after!.mtimeMs).toBeGreaterThan(before!.mtimeMs);
    expect(await openCodeSessionState({ kind: 'database', file: db, sessionId: 'ses_missing' })).toBeUndefined();
  });
});
