/**
 * Where OpenCode keeps its sessions, and how one session is named on the command line. Since
 * v1.2.0 (2026-02) everything is in a SQLite store; older builds wrote one JSON file per message.
 */
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** `opencode.db`, and the per-channel stores of preview builds (`opencode-beta.db`), as ccusage reads them. */
const DATABASE_NAME = /^opencode(?:-[\w-]+)?\.db$/;

/**
 * OpenCode's data folders. `$OPENCODE_DATA_DIR` (ccusage's override; a comma-separated list reads
 * copies from other machines together) wins; otherwise OpenCode's own XDG location,
 * `$XDG_DATA_HOME/opencode`, default `~/.local/share/opencode`. HOME and XDG come from `env` so tests
 * can pin them.
 */
export function getOpenCodeDataDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || env.USERPROFILE || homedir();
  const expand = (entry: string) => path.resolve(entry === '~' ? home : entry.replace(/^~(?=[/\\])/, home));
  if (env.OPENCODE_DATA_DIR?.trim()) {
    const dirs = env.OPENCODE_DATA_DIR.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    return [...new Set(dirs.map(expand))];
  }
  const dataHome = env.XDG_DATA_HOME?.trim() ? expand(env.XDG_DATA_HOME.trim()) : path.join(home, '.local', 'share');
  return [path.join(dataHome, 'opencode')];
}

/** The SQLite stores in each data folder, sorted by path; none when OpenCode never ran. */
export async function getOpenCodeDatabases(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const found: string[] = [];
  for (const dir of getOpenCodeDataDirs(env)) {
    for (const entry of await listFolder(dir)) {
      if (entry.isFile() && DATABASE_NAME.test(entry.name)) found.push(path.join(dir, entry.name));
    }
  }
  return found.sort();
}

/** Legacy message files, `storage/message/<sessionID>/<messageID>.json`, grouped by session folder. */
export async function getLegacySessionFolders(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const found: string[] = [];
  for (const dir of getOpenCodeDataDirs(env)) {
    const messages = path.join(dir, 'storage', 'message');
    for (const entry of await listFolder(messages)) if (entry.isDirectory()) found.push(path.join(messages, entry.name));
  }
  return found.sort();
}

/** Whether any store or legacy session folder exists: cheap, so the reader is loaded only when needed. */
export async function hasOpenCodeData(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return (await getOpenCodeDatabases(env)).length > 0 || (await getLegacySessionFolders(env)).length > 0;
}

/**
 * The newest modification time of a store, its write-ahead log included: recent rows may exist
 * only in `-wal` until OpenCode checkpoints, so the main file's mtime alone can be hours old.
 */
export async function databaseModifiedMs(file: string): Promise<number> {
  const times = await Promise.all([file, `${file}-wal`].map((name) => stat(name).then((info) => info.mtimeMs, () => -Infinity)));
  return Math.max(...times);
}

/** One OpenCode session as `summarize` and capture name it. */
export type OpenCodeTranscript = { kind: 'database'; file: string; sessionId: string } | { kind: 'legacy'; folder: string; sessionId: string };

/**
 * Reads a session reference: `<path>/opencode.db#<sessionID>` (a session inside a store) or a legacy
 * `storage/message/<sessionID>` folder. Anything else is not an OpenCode session: undefined.
 */
export function parseOpenCodeTranscript(transcript: string): OpenCodeTranscript | undefined {
  const inDatabase = /^(.*\.db)#([^#/\\]+)$/.exec(transcript);
  if (inDatabase) return { kind: 'database', file: path.resolve(inDatabase[1]!), sessionId: inDatabase[2]! };
  const folder = path.resolve(transcript.replace(/[/\\]+$/, ''));
  const parent = path.dirname(folder);
  if (path.basename(parent) === 'message' && path.basename(path.dirname(parent)) === 'storage') {
    return { kind: 'legacy', folder, sessionId: path.basename(folder) };
  }
  return undefined;
}

/** The reference `parseOpenCodeTranscript` reads back, for a session inside a store. */
export function formatOpenCodeTranscript(file: string, sessionId: string): string {
  return `${file}#${sessionId}`;
}

/** A folder that does not exist (OpenCode never ran, no legacy storage) simply holds nothing. */
async function listFolder(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}
