/**
 * Which chat files belong to one session (for `summarize` and capture) or to one repository (for
 * the sweep). Gemini records no working folder in its chats, only the project folder they sit in:
 * named by the SHA-256 of the project root (legacy) or by the short name `projects.json` gives the
 * root, with the root also written to `<folder>/.project_root`.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { getGeminiDir, listProjectChats, readProjectRegistry, type GeminiChatFile } from './paths.js';

/** Gemini's project id before short names: SHA-256 (hex) of the project root as given. */
export function projectRootHash(root: string): string {
  return createHash('sha256').update(root).digest('hex');
}

/** Short project names by the hash of their root, so hash-named folders group under their name. */
export async function projectNamesByHash(geminiDir: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const [root, name] of await readProjectRegistry(geminiDir)) names.set(projectRootHash(root), name);
  return names;
}

/** Where a chat file sits: its project folder, and for `chats/<parent>/<id>.jsonl` the parent session. */
export function locateChatFile(file: string): GeminiChatFile & { chatsDir: string | null } {
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  if (path.basename(dir) === 'chats') return { path: resolved, project: path.basename(path.dirname(dir)), parentSessionId: null, chatsDir: dir };
  if (path.basename(path.dirname(dir)) === 'chats') {
    const chatsDir = path.dirname(dir);
    return { path: resolved, project: path.basename(path.dirname(chatsDir)), parentSessionId: path.basename(dir), chatsDir };
  }
  // A chat copied out of its folder: it is the whole session as far as we can tell.
  return { path: resolved, project: path.basename(dir), parentSessionId: null, chatsDir: null };
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(dir, entry.name));
}

/**
 * The files that may hold session `sessionId`, which `own` belongs to: every project folder's main
 * chats ending in the session's first 8 characters (main chat names carry no more of it) and its
 * subagent chats. The caller keeps those whose recorded session id matches.
 */
export async function sessionChatFiles(own: ReturnType<typeof locateChatFile>, sessionId: string): Promise<GeminiChatFile[]> {
  const { chatsDir, ...ownFile } = own;
  if (chatsDir === null) return [ownFile];
  const projectDir = path.dirname(chatsDir);
  const projectDirs = new Set([projectDir, ...(await subfolders(path.dirname(projectDir)))]);
  const suffix = `-${sessionId.slice(0, 8)}`;
  const files = new Map<string, GeminiChatFile>([[own.path, ownFile]]);
  for (const dir of projectDirs) {
    for (const file of await listProjectChats(dir)) {
      const stem = path.basename(file.path).replace(/\.jsonl?$/, '');
      if (file.parentSessionId === sessionId || (file.parentSessionId === null && stem.endsWith(suffix))) files.set(file.path, file);
    }
  }
  return [...files.values()];
}

/** Registry roots are lower-cased on Windows, so paths compare without case there. */
function isWithin(root: string, dir: string): boolean {
  const fold = (value: string) => (process.platform === 'win32' ? path.resolve(value).toLowerCase() : path.resolve(value));
  const relative = path.relative(fold(root), fold(dir));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Main chat files (subagent chats are read with their parent) of the Gemini projects whose root is
 * `root` or below it. A hash-named folder can only be matched for a root whose exact path is known:
 * `root` itself, or a root listed in `projects.json` or a `.project_root` marker.
 */
export async function repositoryChatFiles(root: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const geminiDir = getGeminiDir(env);
  const tmp = path.join(geminiDir, 'tmp');
  const roots = new Set([root]);
  const folders = new Set<string>();
  for (const [projectRoot, name] of await readProjectRegistry(geminiDir)) {
    if (!isWithin(root, projectRoot)) continue;
    roots.add(projectRoot);
    folders.add(name);
  }
  for (const dir of await subfolders(tmp)) {
    const marker = (await readFile(path.join(dir, '.project_root'), 'utf8').catch(() => '')).trim();
    if (!marker || !isWithin(root, marker)) continue;
    roots.add(marker);
    folders.add(path.basename(dir));
  }
  for (const projectRoot of roots) {
    const hash = projectRootHash(projectRoot);
    folders.add(hash).add(hash.slice(0, 16));
  }
  const files: string[] = [];
  for (const folder of folders) {
    for (const file of await listProjectChats(path.join(tmp, folder))) if (file.parentSessionId === null) files.push(file.path);
  }
  return files.sort();
}
