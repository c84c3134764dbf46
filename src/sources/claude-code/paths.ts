/**
 * Where Claude Code keeps its transcripts: `projects/` below each config folder.
 * `CLAUDE_CONFIG_DIR` is a comma-separated list (as ccusage accepts); each entry may be the config
 * folder or its `projects/` folder. When it is set, the defaults are not consulted.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export function expandHome(entry: string, home = homedir()): string {
  if (entry === '~') return home;
  if (entry.startsWith('~/')) return path.join(home, entry.slice(2));
  return entry;
}

/** The candidate `projects/` folders, in order, without duplicates (existence not checked). */
export function claudeProjectsDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || homedir();
  const configured = env.CLAUDE_CONFIG_DIR?.split(',').map((entry) => entry.trim()).filter(Boolean);
  const roots = configured?.length
    ? configured.map((entry) => expandHome(entry, home))
    : [path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'claude'), path.join(home, '.claude')];
  const dirs = roots.map((root) => (path.basename(root) === 'projects' ? root : path.join(root, 'projects')));
  return [...new Set(dirs.map((dir) => path.resolve(dir)))];
}

export interface TranscriptFile {
  path: string;
  /** The encoded project folder: the first segment below `projects/`. */
  project: string;
  /** The session id implied by the path (the line's own `sessionId` wins when present). */
  pathSessionId: string;
  /** Subagent id implied by an `agent-<id>.jsonl` file name. */
  pathAgentId: string | null;
  size: number;
  mtimeMs: number;
}

/**
 * Synchronous on purpose: thousands of small readdir and stat calls through the thread pool
 * left the process idle for ~130 ms of a 0.8 s warm report (1 GB of transcripts).
 */
function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // a missing or unreadable folder is "no transcripts here", not an error
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && entry.name.endsWith('.jsonl')) out.push(full);
  }
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined; // deleted since it was listed
  }
}

/** Describes a transcript path: project folder, session and subagent ids implied by the layout. */
export function describeTranscriptPath(file: string, projectsDir: string): Omit<TranscriptFile, 'size' | 'mtimeMs'> {
  const segments = path.relative(projectsDir, file).split(path.sep);
  const name = path.basename(file, '.jsonl');
  const agent = /^agent-(.+)$/.exec(name);
  // Layouts: <project>/<session>.jsonl, <project>/agent-<id>.jsonl (flat subagents, 2.0.x),
  // <project>/<session>/subagents/agent-<id>.jsonl (nested, 2.1.x).
  const nested = segments.length >= 4 && segments[segments.length - 2] === 'subagents';
  const pathSessionId = nested ? segments[segments.length - 3]! : name;
  return { path: file, project: segments.length > 1 ? segments[0]! : '', pathSessionId, pathAgentId: agent ? agent[1]! : null };
}

/** Every `*.jsonl` below the `projects/` folders, sorted by path, with size and mtime. */
export async function listTranscriptFiles(env: NodeJS.ProcessEnv = process.env): Promise<TranscriptFile[]> {
  const files: TranscriptFile[] = [];
  for (const projectsDir of claudeProjectsDirs(env)) {
    const paths: string[] = [];
    walk(projectsDir, paths);
    paths.sort();
    for (const file of paths) {
      const info = statOrUndefined(file);
      if (info) files.push({ ...describeTranscriptPath(file, projectsDir), size: info.size, mtimeMs: info.mtimeMs });
    }
  }
  return files;
}
