import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCodexHomes, getCodexRolloutFiles } from './paths.js';

describe('getCodexHomes', () => {
  it('defaults to ~/.codex', () => {
    expect(getCodexHomes({ HOME: '/home/dev' })).toEqual([path.resolve('/home/dev/.codex')]);
    expect(getCodexHomes({ HOME: '/home/dev', CODEX_HOME: '  ' })).toEqual([path.resolve('/home/dev/.codex')]);
  });

  it('reads a comma-separated CODEX_HOME list, expanding ~ and dropping empty and repeated entries', () => {
    const env = { HOME: '/home/dev', CODEX_HOME: ' ~/work-codex ,, /mnt/laptop/.codex,~,/mnt/laptop/.codex ' };
    expect(getCodexHomes(env)).toEqual([path.resolve('/home/dev/work-codex'), path.resolve('/mnt/laptop/.codex'), path.resolve('/home/dev')]);
  });

  it('leaves a ~ inside a name alone', () => {
    expect(getCodexHomes({ HOME: '/home/dev', CODEX_HOME: '/data/~backup' })).toEqual([path.resolve('/data/~backup')]);
  });
});

describe('getCodexRolloutFiles', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tokenledger-codex-paths-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function touch(relative: string): Promise<string> {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '');
    return file;
  }

  it('lists every .jsonl under sessions/ and archived_sessions/ of every home, sorted', async () => {
    const expected = [
      await touch('b/sessions/2026/05/01/rollout-2.jsonl'),
      await touch('a/sessions/2026/04/30/rollout-1.jsonl'),
      await touch('a/archived_sessions/rollout-0.jsonl'),
      await touch('a/sessions/2026/05/02/deep/er/rollout-3.jsonl'),
    ].sort();
    await touch('a/sessions/2026/05/01/notes.txt');
    await touch('a/history.jsonl');
    await mkdir(path.join(root, 'a/sessions/empty'), { recursive: true });

    const files = await getCodexRolloutFiles({ CODEX_HOME: `${path.join(root, 'b')},${path.join(root, 'a')}` });
    expect(files).toEqual(expected);
  });

  it('returns nothing for missing homes and folders', async () => {
    await touch('only-archived/archived_sessions/rollout.jsonl');
    expect(await getCodexRolloutFiles({ CODEX_HOME: path.join(root, 'missing') })).toEqual([]);
    expect(await getCodexRolloutFiles({ CODEX_HOME: path.join(root, 'only-archived') })).toHaveLength(1);
    expect(await getCodexRolloutFiles({ HOME: root })).toEqual([]);
  });

  it('returns nothing when the home is a file', async () => {
    const file = await touch('not-a-folder');
    expect(await getCodexRolloutFiles({ CODEX_HOME: file })).toEqual([]);
  });
});
