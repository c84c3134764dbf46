import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSettingsFile, removeFileAndCreatedDirs, userSettingsFile, writeFileAtomic } from './settings-file.js';
import { stateDir } from './state-dir.js';

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(path.join(tmpdir(), 'tokenledger-settings-file-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('userSettingsFile', () => {
  it('uses the first CLAUDE_CONFIG_DIR entry, else ~/.claude', () => {
    expect(userSettingsFile({ HOME: '/home/dev' })).toBe('/home/dev/.claude/settings.json');
    expect(userSettingsFile({ HOME: '/home/dev', CLAUDE_CONFIG_DIR: '/cfg/claude' })).toBe('/cfg/claude/settings.json');
    expect(userSettingsFile({ HOME: '/home/dev', CLAUDE_CONFIG_DIR: ' , /first ,/second' })).toBe('/first/settings.json');
    expect(userSettingsFile({ HOME: '/home/dev', CLAUDE_CONFIG_DIR: '~/work-claude' })).toBe('/home/dev/work-claude/settings.json');
    expect(userSettingsFile({ HOME: '/home/dev', CLAUDE_CONFIG_DIR: '' })).toBe('/home/dev/.claude/settings.json');
  });
});

describe('stateDir', () => {
  it('is $XDG_STATE_HOME/tokenledger, else ~/.local/state/tokenledger', () => {
    expect(stateDir({ HOME: '/home/dev', XDG_STATE_HOME: '/state' })).toBe('/state/tokenledger');
    expect(stateDir({ HOME: '/home/dev' })).toBe('/home/dev/.local/state/tokenledger');
    // The XDG spec says a relative path is invalid and must be ignored.
    expect(stateDir({ HOME: '/home/dev', XDG_STATE_HOME: 'state' })).toBe('/home/dev/.local/state/tokenledger');
  });
});

describe('readSettingsFile', () => {
  it('reads a missing file as empty settings', async () => {
    const file = path.join(temp, 'settings.json');
    expect(await readSettingsFile(file)).toEqual({ file, bytes: null, settings: {}, format: { indent: '  ', newline: '\n', finalNewline: true, bom: false } });
  });

  it('refuses a hooks shape it cannot edit, naming the file and field', async () => {
    const file = path.join(temp, 'settings.json');
    await writeFile(file, '{ "hooks": { "SessionEnd": { "hooks": [] } } }');
    await expect(readSettingsFile(file)).rejects.toThrow(`${file}: hooks.SessionEnd: expected an array of matcher groups, found an object`);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const file = path.join(temp, 'settings.json');
    await writeFile(file, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    await expect(readSettingsFile(file)).rejects.toThrow(/not valid UTF-8/);
  });
});

describe('writeFileAtomic', () => {
  it('creates missing folders, says which was first, and leaves no temporary file', async () => {
    const file = path.join(temp, 'a', 'b', 'settings.json');
    expect(await writeFileAtomic(file, '{}\n')).toEqual({ createdDir: path.join(temp, 'a') });
    expect(await readFile(file, 'utf8')).toBe('{}\n');
    expect(await writeFileAtomic(file, '{"x":1}')).toEqual({ createdDir: undefined });
    expect(await readdir(path.dirname(file))).toEqual(['settings.json']);
  });

  it('keeps the permission bits of the file it replaces', async () => {
    const file = path.join(temp, 'settings.json');
    await writeFile(file, '{}', { mode: 0o600 });
    await writeFileAtomic(file, '{"env":{"API_KEY":"secret"}}');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('writes through a symlinked settings file and keeps the link', async () => {
    const real = path.join(temp, 'dotfiles', 'settings.json');
    const link = path.join(temp, 'settings.json');
    await mkdir(path.dirname(real));
    await writeFile(real, '{}');
    await symlink(real, link);
    await writeFileAtomic(link, '{"a":1}');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toBe('{"a":1}');
  });
});

describe('removeFileAndCreatedDirs', () => {
  it('removes the folders install created, but not one the user has since used', async () => {
    const file = path.join(temp, 'a', 'b', 'settings.json');
    await writeFileAtomic(file, '{}');
    await writeFile(path.join(temp, 'a', 'notes.txt'), 'mine');
    await removeFileAndCreatedDirs(file, path.join(temp, 'a'));
    expect(await readdir(path.join(temp, 'a'))).toEqual(['notes.txt']);

    await writeFileAtomic(file, '{}');
    await rm(path.join(temp, 'a', 'notes.txt'));
    await removeFileAndCreatedDirs(file, path.join(temp, 'a'));
    expect(await readdir(temp)).toEqual([]);
  });
});
