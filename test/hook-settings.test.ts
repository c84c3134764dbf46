/**
 * End to end: `tokenledger hook install|uninstall|status` run as the built CLI, in a sandbox per
 * test (HOME, CLAUDE_CONFIG_DIR, XDG_STATE_HOME and a real git repository as cwd), for each
 * settings scope. Checks the exact hook entries, idempotence, the byte-for-byte uninstall, a
 * broken settings file left untouched, and that the installed command really starts tokenledger
 * when a shell runs it, as Claude Code does.
 */
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../src/capture/hook-settings.js';
import { TOKENLEDGER_VERSION } from '../src/version.js';
import { run, type Run } from './helpers/process.js';

const ROOT = realpathSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
const BIN = path.join(ROOT, 'bin/tokenledger.js');
/** Exactly what install must write: this node and this checkout's bin, quoted, then `hook run`. */
const COMMAND = `"${process.execPath}" "${BIN}" hook run`;


interface Sandbox {
  root: string;
  env: NodeJS.ProcessEnv;
  /** A folder inside the repository, where the CLI runs. */
  cwd: string;
  repo: string;
  stateFile: string;
  cli(args: string[]): Promise<Run>;
}

const sandboxes: string[] = [];

/** A machine of its own: nothing from the real HOME, Claude config or state folder leaks in. */
async function sandbox(): Promise<Sandbox> {
  const root = realpathSync(await mkdtemp(path.join(tmpdir(), 'tokenledger-hooks-')));
  sandboxes.push(root);
  const repo = path.join(root, 'repo');
  const cwd = path.join(repo, 'src', 'deep');
  await mkdir(cwd, { recursive: true });
  await mkdir(path.join(root, 'home'));
  const env = { PATH: process.env.PATH, HOME: path.join(root, 'home'), CLAUDE_CONFIG_DIR: path.join(root, 'claude'), XDG_STATE_HOME: path.join(root, 'state'), NO_COLOR: '1' };
  const init = await run('git', ['init', '-q', repo], { cwd: root, env });
  expect(init.code, init.stderr).toBe(0);
  return { root, env, cwd, repo, stateFile: path.join(root, 'state', 'tokenledger', 'hook-installs.json'), cli: (args) => run(process.execPath, [BIN, ...args], { cwd, env }) };
}

/**
 * The build is what Claude Code would run. A missing one is built here; a stale one only draws a
 * warning, because rebuilding empties build/ under test files running the CLI in parallel
 * (`npm test` builds first, so there it is never stale).
 */
beforeAll(async () => {
  const built = path.join(ROOT, 'build/cli.js');
  if (!existsSync(built)) {
    const build = await run('npm', ['run', 'build'], { cwd: ROOT, env: process.env });
    if (build.code !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
    return;
  }
  const builtAt = (await stat(built)).mtimeMs;
  const sources = (await readdir(path.join(ROOT, 'src'), { recursive: true })).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
  for (const file of sources) {
    if ((await stat(path.join(ROOT, 'src', file))).mtimeMs > builtAt) {
      console.warn(`build/cli.js is older than src/${file}: these tests run the old build until \`npm run build\``);
      return;
    }
  }
}, 120_000);

afterEach(async () => {
  for (const root of sandboxes.splice(0)) await rm(root, { recursive: true, force: true });
});

const ANOTHER_TOOL = { type: 'command', command: 'other-tool flush', timeout: 5 };

/** Per scope: where its file is, and what was there before (null: no file at all). */
const SCOPES = [
  {
    scope: 'user',
    file: (box: Sandbox) => path.join(box.root, 'claude', 'settings.json'),
    original: `${JSON.stringify({ model: 'opus', hooks: { SessionEnd: [{ hooks: [ANOTHER_TOOL] }] } }, null, 4)}\n`,
  },
  { scope: 'project', file: (box: Sandbox) => path.join(box.repo, '.claude', 'settings.json'), original: null },
  {
    scope: 'local',
    file: (box: Sandbox) => path.join(box.repo, '.claude', 'settings.local.json'),
    original: '{\n\t"permissions": { "allow": [ "Bash(npm test)" ] },\n\t"hooks": { "PreToolUse": [] }\n}',
  },
] as const;

describe.each(SCOPES)('tokenledger hook install --scope $scope', ({ scope, file: fileOf, original }) => {
  it('installs both hooks once and uninstalls back to the original bytes', async () => {
    const box = await sandbox();
    const file = fileOf(box);
    if (original !== null) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, original);
    }

    const installed = await box.cli(['hook', 'install', '--scope', scope]);
    expect(installed, installed.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(installed.stdout).toContain(`Installed tokenledger hooks in ${file} (${scope} scope)`);
    const settings = JSON.parse(await readFile(file, 'utf8'));
    expect(settings.hooks.SessionEnd.at(-1)).toEqual({ hooks: [{ type: 'command', command: COMMAND, timeout: 1 }] });
    expect(settings.hooks.SessionStart).toEqual([{ hooks: [{ type: 'command', command: COMMAND, timeout: 10 }] }]);
    if (scope === 'user') expect(settings.hooks.SessionEnd[0]).toEqual({ hooks: [ANOTHER_TOOL] });

    const bytes = await readFile(file);
    const again = await box.cli(['hook', 'install', '--scope', scope]);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toContain('already installed');
    expect(await readFile(file)).toEqual(bytes);

    const status = await box.cli(['hook', 'status', '--json']);
    expect(status).toMatchObject({ code: 0, stderr: '' });
    const mine = JSON.parse(status.stdout).scopes.find((entry: { scope: string }) => entry.scope === scope);
    expect(mine).toMatchObject({ file, exists: true, installed: { SessionEnd: true, SessionStart: true }, disableAllHooks: false, error: null });
    expect(mine.hooks.SessionEnd).toEqual([{ command: COMMAND, timeout: 1, script: BIN, scriptExists: true, node: process.execPath, nodeExists: true }]);

    const removed = await box.cli(['hook', 'uninstall', '--scope', scope]);
    expect(removed).toMatchObject({ code: 0, stderr: '' });
    if (original === null) {
      expect(existsSync(file)).toBe(false);
      expect(existsSync(path.dirname(file))).toBe(false); // install created .claude/, uninstall removed it
    } else expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('refuses a settings file that is not JSON, naming it, and writes nothing', async () => {
    const box = await sandbox();
    const file = fileOf(box);
    const broken = '{\n  "model": "opus",\n}\n';
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, broken);
    for (const command of ['install', 'uninstall']) {
      const result = await box.cli(['hook', command, '--scope', scope]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`tokenledger: ${file}:3:1: invalid JSON: expected a property name in double quotes, found "}" (nothing was written)\n`);
      expect(await readFile(file, 'utf8')).toBe(broken);
      expect(existsSync(box.stateFile)).toBe(false);
    }
  });
});

describe('the installed command', () => {
  it('starts this tokenledger when a shell runs it, as Claude Code does', async () => {
    const box = await sandbox();
    expect((await box.cli(['hook', 'install'])).code).toBe(0); // default scope: user
    const settings = JSON.parse(await readFile(path.join(box.root, 'claude', 'settings.json'), 'utf8'));
    const command: string = settings.hooks.SessionEnd[0].hooks[0].command;
    expect(command).toBe(COMMAND);
    expect(command.endsWith(' hook run')).toBe(true);
    // No PATH at all: the command must not depend on finding node or tokenledger there.
    const version = await run('/bin/sh', ['-c', command.replace(/ hook run$/, ' --version')], { cwd: box.root, env: { PATH: '/nonexistent' } });
    expect(version).toMatchObject({ code: 0, stdout: `${TOKENLEDGER_VERSION}\n`, stderr: '' });
  });

  it('quotes any path so that the shell reads it back unchanged', async () => {
    for (const word of ['/Users/Ada Lovelace/bin/node', 'a"b', '$HOME', '`id`', 'back\\slash', "it's", '*', '']) {
      const echoed = await run('/bin/sh', ['-c', `printf '%s' ${shellQuote(word)}`], { cwd: tmpdir(), env: {} });
      expect(echoed.stdout).toBe(word);
    }
  });
});

describe('tokenledger hook status', () => {
  it('finds the settings files from a subfolder, and outside a repository uses the folder itself', async () => {
    const box = await sandbox();
    const status = JSON.parse((await box.cli(['hook', 'status', '--json'])).stdout);
    expect(status.scopes.map((entry: { scope: string; file: string; exists: boolean }) => [entry.scope, entry.file, entry.exists])).toEqual([
      ['user', path.join(box.root, 'claude', 'settings.json'), false],
      ['project', path.join(box.repo, '.claude', 'settings.json'), false],
      ['local', path.join(box.repo, '.claude', 'settings.local.json'), false],
    ]);
    const outside = await run(process.execPath, [BIN, 'hook', 'status', '--json'], { cwd: path.join(box.root, 'home'), env: box.env });
    expect(JSON.parse(outside.stdout).scopes[1].file).toBe(path.join(box.root, 'home', '.claude', 'settings.json'));
  });

  it('says when the script a hook runs is gone, and when hooks are disabled', async () => {
    const box = await sandbox();
    const moved = `"${process.execPath}" "/old/checkout/bin/tokenledger.js" hook run`;
    const file = path.join(box.repo, '.claude', 'settings.local.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ disableAllHooks: true, hooks: { SessionStart: [{ hooks: [{ type: 'command', command: moved, timeout: 10 }] }] } }));
    const text = await box.cli(['hook', 'status']);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toContain(
      [
        `local scope: ${file}`,
        '  SessionEnd (capture): not installed',
        '  SessionStart (sweep): installed, timeout 10 s',
        `    command: ${moved}`,
        '    MISSING /old/checkout/bin/tokenledger.js: the hook fails (exit 127) and Claude Code ignores that silently; run `tokenledger hook install --scope local` again',
        '  "disableAllHooks": true in this file: Claude Code runs no hooks',
      ].join('\n'),
    );
  });
});
