/**
 * OpenCode's storage before v1.2.0: one JSON file per record under `<data>/storage/`:
 * `message/<sessionID>/<messageID>.json`, `part/<messageID>/<partID>.json` and
 * `session/<projectID>/<sessionID>.json`. Read into the same rows as the database.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { legacySessionSchema, partKindSchema, toolPartSchema, type OpenCodeStore, type SessionInfo, type ToolPart } from './schema.js';

export interface LegacyReadOptions {
  /** Session folders whose files were all last written before this instant are not read. */
  sinceMs?: number;
}

/**
 * Reads the given `storage/message/<sessionID>` folders (of one data folder or several) with their
 * messages' tool parts and the sessions' records. Files that cannot be read become `problems`.
 */
export async function readLegacyStore(folders: readonly string[], options: LegacyReadOptions = {}): Promise<{ store: OpenCodeStore; filesRead: number }> {
  const store: OpenCodeStore = { sessions: new Map(), messages: [], tools: [], problems: [] };
  let filesRead = 0;
  const storages = new Set<string>();
  for (const folder of folders) {
    const files = await jsonFiles(folder);
    if (options.sinceMs !== undefined && !(await anyModifiedSince(files, options.sinceMs))) continue;
    const storage = path.dirname(path.dirname(folder));
    storages.add(storage);
    const sessionId = path.basename(folder);
    for (const file of files) {
      const text = await readText(file, store.problems);
      if (text === undefined) continue;
      filesRead += 1;
      const id = path.basename(file, '.json');
      store.messages.push({ id, sessionId, createdMs: null, data: text, where: file });
      await readToolParts(path.join(storage, 'part', id), store.tools, store.problems);
    }
  }
  for (const storage of storages) for (const [id, info] of await readLegacySessions(storage)) store.sessions.set(id, info);
  return { store, filesRead };
}

/** Every session record in one `storage/` folder; unreadable ones are left out (they only name a parent). */
export async function readLegacySessions(storage: string): Promise<Map<string, SessionInfo>> {
  const sessions = new Map<string, SessionInfo>();
  const root = path.join(storage, 'session');
  for (const project of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!project.isDirectory()) continue;
    for (const file of await jsonFiles(path.join(root, project.name))) {
      const parsed = legacySessionSchema.safeParse(await readJson(file));
      if (parsed.success) sessions.set(parsed.data.id, { parentId: parsed.data.parentID ?? null, directory: parsed.data.directory ?? null, version: parsed.data.version ?? null });
    }
  }
  return sessions;
}

async function readToolParts(folder: string, tools: ToolPart[], problems: string[]): Promise<void> {
  for (const file of await jsonFiles(folder)) {
    const text = await readText(file, problems);
    if (text === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      problems.push(`${file}: part data: invalid JSON, skipped (a tool call, if it was one, is not counted)`);
      continue;
    }
    if (partKindSchema.safeParse(json).data?.type !== 'tool') continue;
    const part = toolPartSchema.safeParse(json);
    if (!part.success) {
      const issue = part.error.issues[0];
      problems.push(`${file}: part ${issue?.path.join('.') || 'data'}: ${issue?.message ?? 'invalid'}, its tool call is not counted`);
      continue;
    }
    tools.push({ messageId: part.data.messageID ?? path.basename(folder), tool: part.data.tool, command: part.data.state?.input?.command });
  }
}

/** Sorted: OpenCode's ids grow with time, so file-name order is creation order, as the database query sorts. */
async function jsonFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.json')).map((entry) => path.join(folder, entry.name)).sort();
}

async function anyModifiedSince(files: readonly string[], sinceMs: number): Promise<boolean> {
  for (const file of files) if ((await stat(file).then((info) => info.mtimeMs, () => Infinity)) >= sinceMs) return true;
  return false;
}

async function readText(file: string, problems: string[]): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
