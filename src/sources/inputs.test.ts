import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SOURCE_IDS } from './index.js';
import { listSourceInputs } from './inputs.js';

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'tl-inputs-'));
  env = { HOME: home, CLAUDE_CONFIG_DIR: path.join(home, 'claude'), CODEX_HOME: path.join(home, 'codex'), XDG_DATA_HOME: path.join(home, 'data'), TOKENLEDGER_OTEL_EXPORTS: path.join(home, 'otel') };
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function put(relative: string, text = '{}\n'): Promise<string> {
  const file = path.join(home, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

const inputs = async () => (await listSourceInputs(SOURCE_IDS, { env })).files;

describe('listSourceInputs', () => {
  // One file each agent reads; adding, growing or touching any of them changes the inputs.
  const files = [
    'claude/projects/-home-dev-app/s1.jsonl',
    'codex/sessions/2026/05/04/rollout-a.jsonl',
    '.gemini/tmp/app/chats/session-2026-05-04T10-00-abcd1234.json',
    '.gemini/projects.json',
    'data/opencode/opencode.db',
    'data/opencode/opencode.db-wal',
    'otel/export.jsonl',
  ];

  it.each(files)('changes when %s appears, grows or is touched', async (relative) => {
    // The Gemini registry counts with chats only, a write-ahead log with its store.
    if (relative.startsWith('.gemini/projects')) await put(files[2]!);
    if (relative.endsWith('-wal')) await put(files[4]!);
    const before = await inputs();
    expect(before).not.toBeNull();
    const file = await put(relative);
    const added = await inputs();
    expect(added).not.toEqual(before);
    await writeFile(file, '{}\n{}\n');
    const grown = await inputs();
    expect(grown).not.toEqual(added);
    await utimes(file, 1_700_000_000, 1_700_000_000);
    expect(await inputs()).not.toEqual(grown);
  });

  it('is the same list while nothing changes, and hands on the Claude Code transcripts it listed', async () => {
    for (const relative of files) await put(relative);
    const listed = await listSourceInputs(SOURCE_IDS, { env });
    expect(await inputs()).toEqual(listed.files);
    expect(listed.claudeTranscripts?.map((file) => path.basename(file.path))).toEqual(['s1.jsonl']);
  });

  it('cannot list legacy OpenCode storage exactly, so gives no list', async () => {
    await put('data/opencode/storage/message/ses_1/msg_1.json');
    expect(await inputs()).toBeNull();
    expect((await listSourceInputs(['claude-code', 'codex'], { env })).files).toEqual([
      ['source:claude-code', 0, 0],
      ['source:codex', 0, 0],
    ]);
  });
});
