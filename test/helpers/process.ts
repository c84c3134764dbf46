/** Running a program to completion in tests: exit code, stdout, stderr and wall time; the CLI's build. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

/** Runs `program` with `args`; `input` is written to its stdin, which is then closed. */
export function run(program: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(program, args, { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Builds the CLI when build/ is missing (`npm test` builds first; a stale build is not rebuilt under other test files). */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(path.join(ROOT, 'build/cli.js'))) return;
  const build = await run('npm', ['run', 'build'], { cwd: ROOT, env: process.env });
  if (build.code !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
}
