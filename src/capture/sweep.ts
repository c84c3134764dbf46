/**
 * Finding this repository's sessions on this machine, and which of them still need capturing:
 * never captured, or grown since (SessionEnd does not fire in `-p` mode or on a crash, and its
 * 1.5 s budget can run out). Claude Code names project folders after the session's working
 * folder with every non-alphanumeric character turned into `-` (lossy), so a folder only makes a
 * transcript a candidate; the `cwd` recorded inside decides.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { claudeProjectsDirs } from '../sources/claude-code/paths.js';
import { getCodexRolloutFiles } from '../sources/codex/paths.js';
import { repositoryChatFiles } from '../sources/gemini/projects.js';
import { getOpenCodeDatabases } from '../sources/opencode/paths.js';
import { readCaptureIndex } from './capture-index.js';
import { transcriptState } from './transcript-state.js';

/** Bytes read from the start of a transcript to find the first recorded working folder. */
const HEAD_BYTES = 64 * 1024;

export function encodeProjectFolder(dir: string): string {
  return dir.replace(/[^A-Za-z0-9]/g, '-');
}

/** The first `"cwd"` recorded in a transcript's first lines (Claude Code lines, Codex session_meta). */
export function recordedWorkingFolder(file: string): string | undefined {
  let text: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      text = buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const match = /"cwd"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text);
  if (!match) return undefined;
  try {
    return JSON.parse(match[1]!) as string;
  } catch {
    return undefined;
  }
}

function isInside(root: string, dir: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(dir));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Main-thread session transcripts (Claude Code, Codex, Gemini CLI) whose recorded working folder is inside `root`. */
export async function repositoryTranscripts(root: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const encoded = encodeProjectFolder(root).toLowerCase();
  const found: string[] = [];
  for (const projectsDir of claudeProjectsDirs(env)) {
    const folders = await readdir(projectsDir).catch(() => [] as string[]);
    // Subfolders and Claude Code's worktrees (`<root>/.claude/worktrees/x`) encode with `<root>-` in front.
    for (const folder of folders.filter((name) => name.toLowerCase() === encoded || name.toLowerCase().startsWith(`${encoded}-`))) {
      const dir = path.join(projectsDir, folder);
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (!name.endsWith('.jsonl') || name.startsWith('agent-')) continue;
        const file = path.join(dir, name);
        const cwd = recordedWorkingFolder(file);
        if (cwd && isInside(root, cwd)) found.push(file);
      }
    }
  }
  for (const file of await getCodexRolloutFiles(env)) {
    const cwd = recordedWorkingFolder(file);
    if (cwd && isInside(root, cwd)) found.push(file);
  }
  // Gemini chats record no working folder; the project folder they sit in names the root.
  found.push(...(await repositoryChatFiles(root, env)));
  found.push(...(await openCodeRepositorySessions(root, env)));
  return found.sort();
}

/**
 * OpenCode sessions of `root`: each records the folder it ran in, in the database. Named
 * `<store>#<sessionID>`; the SQLite reader loads only when a store exists.
 */
async function openCodeRepositorySessions(root: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  if ((await getOpenCodeDatabases(env)).length === 0) return [];
  const { findOpenCodeSessions } = await import('../sources/opencode/index.js');
  return findOpenCodeSessions((directory) => isInside(root, directory), env);
}

export interface SweepOptions {
  env?: NodeJS.ProcessEnv;
  /** A session still running (the one whose start triggered the sweep): left for its own SessionEnd. */
  excludeSessionId?: string;
  /** Only transcripts modified at or after this instant (backfill --since). */
  sinceMs?: number;
  /** Capture everything, ignoring what the index says was captured (backfill). */
  all?: boolean;
}

/** The transcripts of `root` that need capturing: new, or grown since they were captured. */
export async function pendingTranscripts(root: string, options: SweepOptions = {}): Promise<string[]> {
  const env = options.env ?? process.env;
  const [transcripts, index] = await Promise.all([repositoryTranscripts(root, env), readCaptureIndex(env)]);
  const pending: string[] = [];
  for (const transcript of transcripts) {
    if (options.excludeSessionId && transcript.includes(options.excludeSessionId)) continue;
    const info = await transcriptState(transcript).catch(() => undefined);
    if (!info || (options.sinceMs !== undefined && info.mtimeMs < options.sinceMs)) continue;
    const captured = index.get(transcript);
    if (options.all || !captured || info.size !== captured.size || info.mtimeMs > captured.mtimeMs) pending.push(transcript);
  }
  return pending;
}
