import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { hookCommand } from './hook-settings.js';
import { hookSettingsStatus, installHookSettings, uninstallHookSettings } from './settings-file-hooks.js';
import { readInstalls } from './settings-file-installs.js';

const COMMAND = hookCommand('/usr/local/bin/node', '/opt/tokenledger/bin/tokenledger.js');

let temp: string;
let file: string;
let installsFile: string;
const install = (command = COMMAND) => installHookSettings({ file, installsFile, command });
const uninstall = () => uninstallHookSettings({ file, installsFile });

beforeEach(async () => {
  temp = await mkdtemp(path.join(tmpdir(), 'tokenledger-hook-files-'));
  file = path.join(temp, 'claude', 'settings.json');
  installsFile = path.join(temp, 'state', 'tokenledger', 'hook-installs.json');
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

/** Originals a re-serialization would not reproduce; only the recorded bytes bring them back. */
const HAND_WRITTEN: Record<string, string> = {
  'inline arrays and odd spacing': '{\n  "model" : "opus",\n  "permissions": { "allow": [ "Bash(npm test)" ] }\n}\n',
  'blank lines, 1.0 and escapes': '{\n\n  "cleanupPeriodDays": 30.0,\n  "env": { "GREETING": "caf\\u00e9" }\n\n}',
  'CRLF with a BOM': '\uFEFF{\r\n  "hooks": {\r\n    "SessionEnd": [ { "hooks": [ { "type": "command", "command": "other-tool flush" } ] } ]\r\n  }\r\n}\r\n',
  'minified with spaces': '{"model": "opus", "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "guard.sh"}]}]}}',
  empty: '',
};

describe('install then uninstall restores the exact bytes', () => {
  for (const [name, original] of Object.entries(HAND_WRITTEN)) {
    it(name, async () => {
      await writeFile(path.join(await ensureDir(), 'settings.json'), original);
      expect((await install()).status).toBe('installed');
      expect(await readFile(file, 'utf8')).toMatch(/"timeout": ?10/);
      expect(await uninstall()).toEqual({ file, status: 'restored' });
      expect(await readFile(file, 'utf8')).toBe(original);
      expect(await readInstalls(installsFile)).toEqual([]);
    });
  }

  it('deletes a file install created, and the folder it created for it', async () => {
    await install();
    expect(await readInstalls(installsFile)).toMatchObject([{ file, before: 'absent', createdDir: path.join(temp, 'claude') }]);
    expect(await uninstall()).toEqual({ file, status: 'restored' });
    expect(await readdir(temp)).toEqual(['state']);
  });
});

describe('installHookSettings', () => {
  it('writes nothing, not even the record, when the hooks are already there', async () => {
    await install();
    const [settings, record] = [await readFile(file), await readFile(installsFile)];
    expect((await install()).status).toBe('already-installed');
    expect(await readFile(file)).toEqual(settings);
    expect(await readFile(installsFile)).toEqual(record);
  });

  it('keeps the original across an update, so uninstall still restores it', async () => {
    const original = '{ "model": "opus" }';
    await writeFile(path.join(await ensureDir(), 'settings.json'), original);
    await install(hookCommand('/usr/bin/node', '/old/checkout/bin/tokenledger.js'));
    expect((await install()).status).toBe('updated');
    expect(await readFile(file, 'utf8')).toContain('/opt/tokenledger/bin/tokenledger.js');
    await uninstall();
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('leaves an invalid file and the records untouched', async () => {
    await writeFile(path.join(await ensureDir(), 'settings.json'), '{\n  "model": "opus",\n}\n');
    const error = await install().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(`${file}:3:1: invalid JSON: expected a property name in double quotes, found "}"`);
    expect(await readFile(file, 'utf8')).toBe('{\n  "model": "opus",\n}\n');
    expect(existsSync(installsFile)).toBe(false);
  });

  it('refuses to run over a damaged records file rather than forget other installs', async () => {
    await writeFile(path.join(await ensureDir(path.dirname(installsFile)), 'hook-installs.json'), '{"schema":"tokenledger.hook-installs/1","installs":[{"file":1}]}');
    await expect(install()).rejects.toThrow(`${installsFile}: installs[0].file: expected string, received number`);
    expect(existsSync(file)).toBe(false);
  });
});

describe('uninstallHookSettings', () => {
  it('removes only our entries when the file changed since install, keeping its layout', async () => {
    await writeFile(path.join(await ensureDir(), 'settings.json'), '{\n\t"model": "opus"\n}');
    await install();
    const edited = (await readFile(file, 'utf8')).replace('"opus"', '"sonnet"');
    await writeFile(file, edited);
    expect(await uninstall()).toEqual({ file, status: 'removed' });
    expect(await readFile(file, 'utf8')).toBe('{\n\t"model": "sonnet"\n}');
    expect(await readInstalls(installsFile)).toEqual([]);
  });

  it('removes hooks installed without a record (another machine, a hand edit)', async () => {
    await writeFile(path.join(await ensureDir(), 'settings.json'), JSON.stringify({ hooks: { SessionEnd: [{ hooks: [{ type: 'command', command: 'npx tokenledger hook run' }] }] } }));
    expect(await uninstall()).toEqual({ file, status: 'removed' });
    expect(await readFile(file, 'utf8')).toBe('{}');
  });

  it('writes nothing when nothing of ours is there', async () => {
    expect(await uninstall()).toEqual({ file, status: 'not-installed' });
    expect(existsSync(file)).toBe(false);
    await writeFile(path.join(await ensureDir(), 'settings.json'), '{ "hooks": {} }');
    expect(await uninstall()).toEqual({ file, status: 'not-installed' });
    expect(await readFile(file, 'utf8')).toBe('{ "hooks": {} }');
  });
});

describe('hookSettingsStatus', () => {
  it('reports each hook, whether its paths exist, and disableAllHooks', async () => {
    await writeFile(path.join(await ensureDir(), 'settings.json'), '{ "disableAllHooks": true }');
    const script = path.join(temp, 'bin', 'tokenledger.js');
    await install(hookCommand(process.execPath, script));
    const status = await hookSettingsStatus(file);
    expect(status).toMatchObject({ file, exists: true, disableAllHooks: true, error: null });
    expect(status.hooks.SessionStart).toEqual([
      { command: hookCommand(process.execPath, script), timeout: 10, script, scriptExists: false, node: process.execPath, nodeExists: true },
    ]);
    expect(status.hooks.SessionEnd[0]?.timeout).toBe(1);
  });

  it('reports a file it cannot read instead of failing', async () => {
    await writeFile(path.join(await ensureDir(), 'settings.json'), '{ // mine\n}');
    expect(await hookSettingsStatus(file)).toMatchObject({ exists: true, error: expect.stringMatching(/settings\.json:1:3: invalid JSON: comments are not allowed/) });
  });
});

async function ensureDir(dir = path.dirname(file)): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}
