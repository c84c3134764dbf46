/**
 * The Claude Code settings files themselves: where each scope's file is, reading one with a clear
 * error, and replacing one atomically. Claude Code watches these files and re-reads them on change,
 * so a half-written file must never be visible: we write a temporary file beside it and rename.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, realpath, rename, rm, rmdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { gitMaybe } from '../ledger/git.js';
import { expandHome } from '../sources/claude-code/paths.js';
import { hookShapeProblem } from './hook-settings.js';
import { DEFAULT_FORMAT, detectFormat, parseSettings, type Settings, type SettingsFormat } from './hook-settings-json.js';

export const SETTINGS_SCOPES = ['user', 'project', 'local'] as const;
export type SettingsScope = (typeof SETTINGS_SCOPES)[number];

/**
 * `$CLAUDE_CONFIG_DIR/settings.json` (its first entry: we accept a comma list for reading
 * transcripts, but settings live in one place), else `~/.claude/settings.json`.
 */
export function userSettingsFile(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || homedir();
  const configured = env.CLAUDE_CONFIG_DIR?.split(',').map((entry) => entry.trim()).find(Boolean);
  return path.resolve(configured ? expandHome(configured, home) : path.join(home, '.claude'), 'settings.json');
}

/** The repository `cwd` is in (its top level), or `cwd` itself outside a repository. */
export async function projectRoot(cwd: string): Promise<string> {
  return (await gitMaybe(cwd, ['rev-parse', '--show-toplevel'])) || cwd;
}

/** The settings file of `scope`, as Claude Code looks for it from `cwd`. */
export async function settingsFile(scope: SettingsScope, options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<string> {
  if (scope === 'user') return userSettingsFile(options.env);
  const root = await projectRoot(options.cwd ?? process.cwd());
  return path.join(root, '.claude', scope === 'project' ? 'settings.json' : 'settings.local.json');
}

export interface SettingsSnapshot {
  file: string;
  /** The file's exact bytes, or null when it does not exist. */
  bytes: Buffer | null;
  settings: Settings;
  format: SettingsFormat;
}

/** `file`'s bytes, or null when it does not exist. */
export async function readBytes(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(file, [{ field: '', message: `cannot read it: ${(error as Error).message}` }], { cause: error });
  }
}

/**
 * Reads and checks a settings file; a missing file is empty settings. Throws ConfigError (file,
 * line and column, or field) for anything we could not edit without losing something.
 */
export async function readSettingsFile(file: string): Promise<SettingsSnapshot> {
  const bytes = await readBytes(file);
  if (bytes === null) return { file, bytes, settings: {}, format: DEFAULT_FORMAT };
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw new ConfigError(file, [{ field: '', message: 'not valid UTF-8 (Claude Code settings are UTF-8 JSON)' }]);
  const settings = parseSettings(text, file);
  const problem = hookShapeProblem(settings);
  if (problem) throw new ConfigError(file, [{ field: problem.field, message: problem.detail }]);
  return { file, bytes, settings, format: detectFormat(text) };
}

/**
 * Replaces `file` with `data` atomically: a temporary file in the same folder (so the rename
 * stays on one file system), flushed, then renamed over it. A symlinked settings file (dotfile
 * managers do this) is written through, so the link survives. The old file's permission bits are
 * kept: settings files can hold API keys in `env`. Returns the first folder it had to create.
 */
export async function writeFileAtomic(file: string, data: Buffer | string): Promise<{ createdDir: string | undefined }> {
  const target = await realpath(file).catch(() => file);
  const createdDir = await mkdir(path.dirname(target), { recursive: true });
  const mode = await stat(target).then((stats) => stats.mode & 0o7777, () => undefined);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode ?? 0o666);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode !== undefined) await chmod(temp, mode); // the umask may have narrowed it
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw new ConfigError(file, [{ field: '', message: `cannot write it: ${(error as Error).message}` }], { cause: error });
  }
  return { createdDir };
}

/**
 * Deletes `file` (through a symlink, like writeFileAtomic), then the folders between it and
 * `createdDir` if they are now empty: what a first install created, and nothing the user has
 * since put something into.
 */
export async function removeFileAndCreatedDirs(file: string, createdDir: string | null): Promise<void> {
  const target = await realpath(file).catch(() => file);
  await rm(target, { force: true });
  if (!createdDir) return;
  const inside = (dir: string) => dir === createdDir || dir.startsWith(createdDir + path.sep);
  for (let dir = path.dirname(target); inside(dir); dir = path.dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or already gone): the user's now
    }
    if (dir === createdDir) return;
  }
}
