import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRows, assistantData, createStore, T0, userData } from '../../test/helpers/opencode-store.js';
import { recordCapture } from './capture-index.js';
import { pendingTranscripts } from './sweep.js';
import { transcriptState } from './transcript-state.js';

describe('OpenCode sessions in the sweep', () => {
  let home: string;
  let root: string;
  let db: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'tokenledger-opencode-sweep-'));
    root = path.join(home, 'repo');
    const data = path.join(home, '.local/share/opencode');
    db = path.join(data, 'opencode.db');
    await mkdir(data, { recursive: true });
    env = { HOME: home };
    createStore(db, {
      sessions: [
        { id: 'ses_repo', directory: path.join(root, 'packages/web') },
        { id: 'ses_sub', parentId: 'ses_repo', directory: path.join(root, 'packages/web') },
        { id: 'ses_elsewhere', directory: path.join(home, 'repo-other') },
      ],
      messages: [
        { id: 'msg_1', sessionId: 'ses_repo', data: userData() },
        { id: 'msg_2', sessionId: 'ses_repo', data: assistantData({ input: 10, output: 2 }) },
        { id: 'msg_3', sessionId: 'ses_elsewhere', data: assistantData({ input: 10, output: 2 }) },
      ],
    }).close();
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("lists the repository's top-level sessions as `<store>#<sessionID>`, until captured and again once grown", async () => {
    const reference = `${db}#ses_repo`;
    expect(await pendingTranscripts(root, { env })).toEqual([reference]);

    const state = await transcriptState(reference);
    await recordCapture(env, { transcript: reference, ...state, repo: root, summaryId: 'x' });
    expect(await pendingTranscripts(root, { env })).toEqual([]);

    // The sub-agent answers later: the session grew.
    const writer = new Database(db);
    addRows(writer, { messages: [{ id: 'msg_4', sessionId: 'ses_sub', data: assistantData({ input: 1 }), createdMs: T0 + 60_000 }] });
    writer.close();
    expect(await pendingTranscripts(root, { env })).toEqual([reference]);
  });

  it("is a file's stat for files, and throws for a session no longer in its store", async () => {
    const file = path.join(home, 'x.jsonl');
    await writeFile(file, 'abc');
    const info = await stat(file);
    expect(await transcriptState(file)).toMatchObject({ size: 3, mtimeMs: info.mtimeMs });
    await expect(transcriptState(`${db}#ses_gone`)).rejects.toThrow(`${db}#ses_gone: no such OpenCode session`);
  });
});
