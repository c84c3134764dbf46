/** The sweep finds a repository's Gemini CLI sessions by their project folders (chats record no working folder). */
import { stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gemini, jsonl, makeGeminiHome, meta, tokens, type GeminiHome } from '../../test/helpers/gemini-chats.js';
import { projectRootHash } from '../sources/gemini/projects.js';
import { recordCapture } from './capture-index.js';
import { pendingTranscripts, repositoryTranscripts } from './sweep.js';

describe('sweep: Gemini CLI sessions', () => {
  let home: GeminiHome;
  beforeEach(async () => {
    home = await makeGeminiHome();
  });
  afterEach(async () => {
    await home.dispose();
  });

  it("lists the repository's main chats in named and hash folders, and only those", async () => {
    const chat = jsonl(meta('11111111-0000-4000-8000-000000000000'), gemini('g1', tokens(10, 0, 1)));
    await home.put('projects.json', JSON.stringify({ projects: { '/work/app': 'app', '/work/other': 'other' } }));
    const named = await home.put('tmp/app/chats/session-2026-05-04T10-00-11111111.jsonl', chat);
    const legacy = await home.put(`tmp/${projectRootHash('/work/app')}/chats/session-2025-10-30T23-33-22222222.json`, '{}');
    await home.put('tmp/app/chats/11111111-0000-4000-8000-000000000000/sub.jsonl', chat);
    await home.put('tmp/other/chats/session-2026-05-04T10-00-33333333.jsonl', chat);
    const env = { HOME: home.home };

    expect(await repositoryTranscripts('/work/app', env)).toEqual([legacy, named].sort());
    // Captured and unchanged since: nothing pending; the other one still is.
    const info = await stat(named);
    await recordCapture(env, { transcript: named, size: info.size, mtimeMs: info.mtimeMs, repo: '/work/app', summaryId: null });
    expect(await pendingTranscripts('/work/app', { env })).toEqual([legacy]);
  });
});
