import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonl, legacyChat, makeGeminiHome, meta, PROJECT_HASH, type GeminiHome } from '../../../test/helpers/gemini-chats.js';
import { getGeminiChatFiles, getGeminiDir, isGeminiChat, readProjectRegistry } from './paths.js';

describe('getGeminiDir', () => {
  it('is ~/.gemini, with ~ from the given environment', () => {
    expect(getGeminiDir({ HOME: '/home/dev' })).toBe(path.resolve('/home/dev/.gemini'));
  });

  it("follows GEMINI_CLI_HOME, Gemini CLI's own home override, unless it is blank", () => {
    expect(getGeminiDir({ HOME: '/home/dev', GEMINI_CLI_HOME: '/profiles/work' })).toBe(path.resolve('/profiles/work/.gemini'));
    expect(getGeminiDir({ HOME: '/home/dev', GEMINI_CLI_HOME: '  ' })).toBe(path.resolve('/home/dev/.gemini'));
  });
});

describe('getGeminiChatFiles', () => {
  let home: GeminiHome;
  beforeEach(async () => {
    home = await makeGeminiHome();
  });
  afterEach(async () => {
    await home.dispose();
  });

  it('finds main chats in hash and named folders and subagent chats one level below, nothing else', async () => {
    const chat = jsonl(meta('s'));
    await home.put(`tmp/${PROJECT_HASH}/chats/session-2025-10-30T23-33-4c16047e.json`, '{}');
    await home.put(`tmp/${PROJECT_HASH}/logs.json`, '[]');
    await home.put('tmp/app/.project_root', '/work/app');
    await home.put('tmp/app/chats/session-2026-05-04T10-00-11111111.jsonl', chat);
    await home.put('tmp/app/chats/11111111-2222-4333-8444-555555555555/sub-7.jsonl', chat);
    await home.put('tmp/app/chats/notes.txt', 'not a chat');
    await home.put('tmp/app/chats/checkpoint-x.json', '{}');
    await home.put('tmp/app/chats/a/b/deeper.jsonl', chat);

    const files = await getGeminiChatFiles({ HOME: home.home });
    expect(files.map((file) => ({ ...file, path: path.relative(home.gemini, file.path) }))).toEqual([
      { path: `tmp/${PROJECT_HASH}/chats/session-2025-10-30T23-33-4c16047e.json`, project: PROJECT_HASH, parentSessionId: null },
      { path: 'tmp/app/chats/11111111-2222-4333-8444-555555555555/sub-7.jsonl', project: 'app', parentSessionId: '11111111-2222-4333-8444-555555555555' },
      { path: 'tmp/app/chats/session-2026-05-04T10-00-11111111.jsonl', project: 'app', parentSessionId: null },
    ]);
  });

  it('finds nothing where Gemini never ran', async () => {
    expect(await getGeminiChatFiles({ HOME: home.home })).toEqual([]);
  });
});

describe('readProjectRegistry', () => {
  let home: GeminiHome;
  beforeEach(async () => {
    home = await makeGeminiHome();
  });
  afterEach(async () => {
    await home.dispose();
  });

  it('maps project roots to short names', async () => {
    await home.put('projects.json', JSON.stringify({ projects: { '/work/app': 'app', '/work/odd': 3 } }));
    expect(await readProjectRegistry(home.gemini)).toEqual(new Map([['/work/app', 'app']]));
  });

  it('maps nothing when the registry is missing or damaged', async () => {
    expect(await readProjectRegistry(home.gemini)).toEqual(new Map());
    await home.put('projects.json', '{"projects": {');
    expect(await readProjectRegistry(home.gemini)).toEqual(new Map());
  });
});

describe('isGeminiChat', () => {
  let home: GeminiHome;
  beforeEach(async () => {
    home = await makeGeminiHome();
  });
  afterEach(async () => {
    await home.dispose();
  });

  it('knows chats by name and place, and by the metadata line elsewhere', async () => {
    expect(await isGeminiChat('/anywhere/session-2025-10-30T23-33-4c16047e.json')).toBe(true);
    expect(await isGeminiChat('/h/.gemini/tmp/app/chats/session-x.jsonl')).toBe(true);
    expect(await isGeminiChat('/h/.gemini/tmp/app/chats/11111111/sub.jsonl')).toBe(true);
    expect(await isGeminiChat(await home.put('copies/chat.jsonl', jsonl(meta('s'))))).toBe(true);
    expect(await isGeminiChat(await home.put('copies/chat.json', legacyChat('s', [])))).toBe(true);
  });

  it('leaves Claude Code transcripts, missing files and other names alone', async () => {
    const claude = await home.put('projects/-work-app/abc.jsonl', JSON.stringify({ type: 'user', sessionId: 'abc', cwd: '/work/app' }) + '\n');
    expect(await isGeminiChat(claude)).toBe(false);
    expect(await isGeminiChat(path.join(home.home, 'missing.jsonl'))).toBe(false);
    expect(await isGeminiChat(path.join(home.home, 'chats', 'notes.txt'))).toBe(false);
    // OpenCode's legacy storage also holds `.json` files.
    expect(await isGeminiChat(await home.put('storage/message/ses_1/msg_1.json', JSON.stringify({ id: 'msg_1', sessionID: 'ses_1' })))).toBe(false);
  });
});
