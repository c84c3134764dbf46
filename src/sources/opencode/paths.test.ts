import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  databaseModifiedMs,
  formatOpenCodeTranscript,
  getLegacySessionFolders,
  getOpenCodeDatabases,
  getOpenCodeDataDirs,
  hasOpenCodeData,
  parseOpenCodeTranscript,
} from './paths.js';

describe('getOpenCodeDataDirs', () => {
  it("defaults to OpenCode's XDG data folder under HOME", () => {
    expect(getOpenCodeDataDirs({ HOME: '/home/dev' })).toEqual(['/home/dev/.local/share/opencode']);
  });

  it('honours XDG_DATA_HOME, with ~ expanded against HOME', () => {
    expect(getOpenCodeDataDirs({ HOME: '/home/dev', XDG_DATA_HOME: '/data' })).toEqual(['/data/opencode']);
    expect(getOpenCodeDataDirs({ HOME: '/home/dev', XDG_DATA_HOME: '~/xdg' })).toEqual(['/home/dev/xdg/opencode']);
  });

  it('lets OPENCODE_DATA_DIR win, as a comma-separated list without blanks or repeats', () => {
    expect(getOpenCodeDataDirs({ HOME: '/home/dev', XDG_DATA_HOME: '/data', OPENCODE_DATA_DIR: ' /a, ,~/b,/a ' })).toEqual(['/a', '/home/dev/b']);
    expect(getOpenCodeDataDirs({ HOME: '/home/dev', OPENCODE_DATA_DIR: '  ' })).toEqual(['/home/dev/.local/share/opencode']);
  });
});

describe('finding stores and legacy folders', () => {
  let home: string;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'tokenledger-opencode-paths-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("lists opencode.db and channel stores, not their -wal/-shm or other databases", async () => {
    const data = path.join(home, '.local/share/opencode');
    await mkdir(path.join(data, 'storage/message/ses_1'), { recursive: true });
    await mkdir(path.join(data, 'storage/message/ses_2'), { recursive: true });
    await writeFile(path.join(data, 'storage/message/stray.json'), '{}');
    for (const name of ['opencode.db', 'opencode.db-wal', 'opencode.db-shm', 'opencode-beta.db', 'other.db', 'opencode.db.bak']) await writeFile(path.join(data, name), '');

    expect(await getOpenCodeDatabases({ HOME: home })).toEqual([path.join(data, 'opencode-beta.db'), path.join(data, 'opencode.db')]);
    expect(await getLegacySessionFolders({ HOME: home })).toEqual([path.join(data, 'storage/message/ses_1'), path.join(data, 'storage/message/ses_2')]);
    expect(await hasOpenCodeData({ HOME: home })).toBe(true);
  });

  it('finds nothing, without error, when OpenCode never ran', async () => {
    expect(await getOpenCodeDatabases({ HOME: home })).toEqual([]);
    expect(await getLegacySessionFolders({ HOME: home })).toEqual([]);
    expect(await hasOpenCodeData({ HOME: home })).toBe(false);
  });

  it("dates a store by its write-ahead log when that is newer", async () => {
    const file = path.join(home, 'opencode.db');
    await writeFile(file, '');
    await utimes(file, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    expect(await databaseModifiedMs(file)).toBe(Date.parse('2026-01-01T00:00:00Z'));

    await writeFile(`${file}-wal`, '');
    await utimes(`${file}-wal`, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'));
    expect(await databaseModifiedMs(file)).toBe(Date.parse('2026-03-01T00:00:00Z'));
  });
});

describe('session references', () => {
  it('reads `<store>#<sessionID>` and round-trips it', () => {
    const reference = formatOpenCodeTranscript('/data/opencode.db', 'ses_12be9f828ffeaiYkWjPssYhKmB');
    expect(reference).toBe('/data/opencode.db#ses_12be9f828ffeaiYkWjPssYhKmB');
    expect(parseOpenCodeTranscript(reference)).toEqual({ kind: 'database', file: '/data/opencode.db', sessionId: 'ses_12be9f828ffeaiYkWjPssYhKmB' });
  });

  it('reads a legacy session folder, with or without a trailing slash', () => {
    expect(parseOpenCodeTranscript('/data/storage/message/ses_1/')).toEqual({ kind: 'legacy', folder: '/data/storage/message/ses_1', sessionId: 'ses_1' });
  });

  it('leaves other transcripts alone', () => {
    for (const transcript of ['/p/abc.jsonl', '/data/opencode.db', '/data/opencode.db#', '/data/message/ses_1', 'rollout-1.jsonl#x']) {
      expect(parseOpenCodeTranscript(transcript)).toBeUndefined();
    }
  });
});
