/**
 * The real transcripts published by others live in ../shared/fixtures/real (never copied into the
 * project). Tests arrange them at run time, in a temp folder, as one Claude Code `projects/` tree.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REAL_FIXTURES = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/fixtures/real');
export const hasRealFixtures = existsSync(REAL_FIXTURES);

async function jsonlFiles(dir: string, out: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await jsonlFiles(full, out);
    else if (entry.name.endsWith('.jsonl')) out.push(full);
  }
  return out;
}

/** The project folder of a transcript: the folder holding it, above `<session>/subagents/`. */
function projectFolderOf(file: string): string {
  const parent = path.dirname(file);
  return path.basename(parent) === 'subagents' ? path.dirname(path.dirname(parent)) : parent;
}

/**
 * Copies every real Claude Code project folder into `<target>/projects/<source>__<project>`, so the
 * whole set reads as one `CLAUDE_CONFIG_DIR`. Returns the config folder.
 */
export async function arrangeClaudeProjects(target: string): Promise<string> {
  const root = path.join(REAL_FIXTURES, 'claude-code');
  const projects = new Set((await jsonlFiles(root)).map(projectFolderOf));
  for (const folder of projects) {
    const relative = path.relative(root, folder).split(path.sep);
    const name = `${relative[0]}__${relative.slice(1).join('_')}`.replace(/[^A-Za-z0-9_.-]/g, '-');
    await mkdir(path.join(target, 'projects'), { recursive: true });
    await cp(folder, path.join(target, 'projects', name), {
      recursive: true,
      // A project folder may hold other projects' folders (mock-data trees); copy transcripts only once.
      filter: (source) => source === folder || !projects.has(source),
    });
  }
  return target;
}

/** Copies file contents only: the shared fixtures are read-only and the copies must be removable. */
export async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) await copyTree(path.join(from, entry.name), path.join(to, entry.name));
    else await writeFile(path.join(to, entry.name), await readFile(path.join(from, entry.name)));
  }
}
