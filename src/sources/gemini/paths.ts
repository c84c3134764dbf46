/**
 * Where Gemini CLI keeps its chat files: `~/.gemini/tmp/<project>/chats/`. The project folder is
 * named by the SHA-256 of the project root (before 2026-02) or by a short name that
 * `~/.gemini/projects.json` maps the root to. No zod here: the registry checks for files with it.
 */
import { open, readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

export interface GeminiChatFile {
  path: string;
  /** The folder below `tmp/`: a hash or a short project name. A local grouping key only. */
  project: string;
  /** For a subagent chat (`chats/<parent session id>/<id>.jsonl`), the parent's session id. */
  parentSessionId: string | null;
}

/**
 * `~/.gemini`, with `~` from the given environment so tests can pin it. `GEMINI_CLI_HOME` is Gemini
 * CLI's own override of the home folder (its `homedir()` in `packages/core/src/utils/paths.ts`).
 */
export function getGeminiDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.GEMINI_CLI_HOME?.trim() || env.HOME || env.USERPROFILE || homedir();
  return path.resolve(home, '.gemini');
}

/** Legacy project folders: hex SHA-256 of the root (some builds kept the first 16 digits). */
export function isHashFolder(name: string): boolean {
  return /^[0-9a-f]{16}(?:[0-9a-f]{48})?$/.test(name);
}

/** Chat files are `session-<time>-<id8>.json` (legacy) or `.jsonl`; subagents are `<id>.jsonl`. */
function isChatFileName(name: string): boolean {
  return name.endsWith('.json') || name.endsWith('.jsonl');
}

/** A folder that does not exist (Gemini never ran in that project) simply holds no files. */
async function listFolder(folder: string) {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

/** The chat files of one project folder: main chats in `chats/`, subagent chats one level below. */
export async function listProjectChats(projectDir: string): Promise<GeminiChatFile[]> {
  const project = path.basename(projectDir);
  const chats = path.join(projectDir, 'chats');
  const files: GeminiChatFile[] = [];
  for (const entry of await listFolder(chats)) {
    const entryPath = path.join(chats, entry.name);
    if (entry.isFile() && entry.name.startsWith('session-') && isChatFileName(entry.name)) {
      files.push({ path: entryPath, project, parentSessionId: null });
    } else if (entry.isDirectory()) {
      for (const sub of await listFolder(entryPath)) {
        if (sub.isFile() && isChatFileName(sub.name)) files.push({ path: path.join(entryPath, sub.name), project, parentSessionId: entry.name });
      }
    }
  }
  return files;
}

/** Every chat file under `~/.gemini/tmp/*`, sorted by path. */
export async function getGeminiChatFiles(env: NodeJS.ProcessEnv = process.env): Promise<GeminiChatFile[]> {
  const tmp = path.join(getGeminiDir(env), 'tmp');
  const files: GeminiChatFile[] = [];
  for (const entry of await listFolder(tmp)) {
    if (entry.isDirectory()) files.push(...(await listProjectChats(path.join(tmp, entry.name))));
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * `projects.json`: `{"projects": {"<root>": "<short name>"}}` (roots lower-cased on Windows). A
 * missing or damaged registry maps nothing; the chat files are still read.
 */
export async function readProjectRegistry(geminiDir: string): Promise<Map<string, string>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(geminiDir, 'projects.json'), 'utf8'));
  } catch {
    return new Map();
  }
  const projects = (json as { projects?: unknown } | null)?.projects;
  if (typeof projects !== 'object' || projects === null) return new Map();
  return new Map(Object.entries(projects).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The first bytes of a file, if it can be read. */
async function readHead(file: string, bytes = 4096): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

/**
 * How both formats begin: Gemini serializes its metadata with `sessionId` then `projectHash`
 * (`.jsonl` on one line, legacy `.json` pretty-printed). Claude Code lines never start so.
 */
const GEMINI_HEAD = /^\uFEFF?\s*\{\s*"sessionId"\s*:\s*"(?:[^"\\]|\\.)*"\s*,\s*"projectHash"\s*:/;

/**
 * Whether `file` is a Gemini chat: in a `chats/` folder (or one below it), named like a legacy
 * chat (`session-*.json`), or beginning with Gemini's metadata.
 */
export async function isGeminiChat(file: string): Promise<boolean> {
  if (!isChatFileName(file)) return false;
  const name = path.basename(file);
  const parent = path.basename(path.dirname(file));
  const grandparent = path.basename(path.dirname(path.dirname(file)));
  if (parent === 'chats' || grandparent === 'chats' || (name.startsWith('session-') && name.endsWith('.json'))) return true;
  return GEMINI_HEAD.test(await readHead(file));
}
