/** Where Codex CLI keeps its rollout files. */
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Codex moves older sessions from `sessions/` to `archived_sessions/`; both hold rollouts. */
const ROLLOUT_FOLDERS = ['sessions', 'archived_sessions'] as const;

/**
 * The Codex home folders: `$CODEX_HOME` (Codex's own variable; a comma-separated list is accepted so
 * copies from other machines can be read together, as ccusage does), default `~/.codex`. `~` is
 * expanded against the given environment's HOME so tests can pin it.
 */
export function getCodexHomes(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || env.USERPROFILE || homedir();
  const list = env.CODEX_HOME?.trim() ? env.CODEX_HOME : '~/.codex';
  const homes = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => path.resolve(entry === '~' ? home : entry.replace(/^~(?=[/\\])/, home)));
  return [...new Set(homes)];
}

/** Every `*.jsonl` under each home's `sessions/` and `archived_sessions/`, recursively, sorted by path. */
export async function getCodexRolloutFiles(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const files = new Set<string>();
  for (const home of getCodexHomes(env)) {
    for (const folder of ROLLOUT_FOLDERS) {
      for (const file of await listJsonlFiles(path.join(home, folder))) files.add(file);
    }
  }
  return [...files].sort();
}

/** A folder that does not exist (Codex never ran, nothing archived yet) simply holds no files. */
async function listJsonlFiles(folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await listJsonlFiles(entryPath)));
    else if (entry.isFile() && entry.name.endsWith('.jsonl')) files.push(entryPath);
  }
  return files;
}
