/**
 * Running git. Plumbing needs stdin (hash-object, mktree, cat-file --batch) and a private
 * environment (GIT_INDEX_FILE), so this spawns git directly. Ambient GIT_* variables are dropped
 * (a hook may run inside another git command's environment) unless passed in `env`.
 */
import { spawn } from 'node:child_process';

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    /** What git printed before failing (e.g. `push --porcelain` reports rejections on stdout). */
    readonly stdout = '',
  ) {
    super(`git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}

export interface GitOptions {
  /** Written to git's stdin. */
  input?: string | Buffer;
  /** Extra environment (e.g. GIT_INDEX_FILE); GIT_* from the process environment are not passed. */
  env?: Record<string, string>;
  /** Kill git after this many milliseconds. */
  timeoutMs?: number;
  /**
   * Receives stdout as it arrives instead of it being collected (the result is then empty), for
   * output too large to hold or worth working on while git runs. If it throws, git is stopped and
   * the call fails with that error.
   */
  onStdout?: (chunk: Buffer) => void;
}

function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^GIT_/i.test(key) || key === 'GIT_SSH_COMMAND' || key === 'GIT_SSL_CAINFO') env[key] = value;
  // Never stop to ask for credentials or an editor: nobody is there to answer.
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', LC_ALL: 'C', ...extra };
}

/** Runs `git <args>` in `cwd` and returns stdout as a Buffer; throws GitError on a non-zero exit. */
export function gitBuffer(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: cleanEnvironment(options.env), stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeoutMs });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const { onStdout } = options;
    let failed: { error: unknown } | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (!onStdout) out.push(chunk);
      else if (!failed) {
        try {
          onStdout(chunk);
        } catch (error) {
          failed = { error };
          child.kill();
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (failed) reject(failed.error);
      else if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitError(args, code, Buffer.concat(err).toString('utf8'), Buffer.concat(out).toString('utf8')));
    });
    child.stdin.on('error', () => undefined); // git may exit before reading all input
    child.stdin.end(options.input ?? '');
  });
}

/** Runs `git <args>` and returns stdout as text without the trailing newline. */
export async function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
  return (await gitBuffer(cwd, args, options)).toString('utf8').replace(/\n$/, '');
}

/** Like `git`, but a non-zero exit gives undefined (for questions such as "does this ref exist?"). */
export async function gitMaybe(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string | undefined> {
  try {
    return await git(cwd, args, options);
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}
