/**
 * Running tokenledger the way Claude Code does, for end-to-end capture tests: the built CLI as a
 * child process in a machine of its own (HOME, state, cache, Claude and Codex folders all
 * temporary, TOKENLEDGER_KEY set), hooks installed with `hook install` and their command read
 * back from settings.json, then run through `sh -c` with the hook JSON on stdin. Also: small
 * session transcripts, reading the data branch with plain git, and polling for what the detached
 * push does after the hook has exited.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll } from 'vitest';
import { git, gitMaybe } from '../../src/ledger/git.js';
import type { RunRecord } from '../../src/capture/run-log.js';
import type { SessionSummary } from '../../src/summary/schema.js';
import { ensureBuilt, run, type Run } from './process.js';
import { assistantLines, userPrompt, writeTranscript } from './transcripts.js';

export const ROOT = realpathSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
export const BIN = path.join(ROOT, 'bin/tokenledger.js');
/** The team key every machine gets unless a test takes it away. */
export const TEAM_KEY = 'test-team-secret';
/** Marks every process a machine starts (the detached ones inherit it), so `settle` can find them. */
const MACHINE_MARK = 'TOKENLEDGER_TEST_MACHINE';

export { ensureBuilt, run, type Run } from './process.js';

/** The hook JSON Claude Code writes on stdin at the end of a session. */
export function sessionEndInput(options: { sessionId: string; transcript: string; cwd: string; reason?: string }): Record<string, unknown> {
  return {
    session_id: options.sessionId,
    transcript_path: options.transcript,
    cwd: options.cwd,
    permission_mode: 'default',
    hook_event_name: 'SessionEnd',
    reason: options.reason ?? 'prompt_input_exit',
  };
}

/** The hook JSON of a session start (`source`: startup, resume, clear or compact). */
export function sessionStartInput(options: { sessionId: string; transcript: string; cwd: string; source?: string }): Record<string, unknown> {
  return {
    session_id: options.sessionId,
    transcript_path: options.transcript,
    cwd: options.cwd,
    permission_mode: 'default',
    hook_event_name: 'SessionStart',
    source: options.source ?? 'startup',
  };
}

export interface HookCommands {
  SessionEnd: string;
  SessionStart: string;
}

export interface Machine {
  root: string;
  /** The pinned environment every run gets. */
  env: NodeJS.ProcessEnv;
  claudeDir: string;
  settingsFile: string;
  /** `$XDG_STATE_HOME/tokenledger/hook-runs.jsonl`. */
  runLogFile: string;
  cli(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<Run>;
  /** `tokenledger hook install`, then the commands as settings.json holds them. */
  installHooks(): Promise<HookCommands>;
  /** Runs a hook command as Claude Code does: `sh -c <command>`, the JSON on stdin, in `cwd`. */
  hook(command: string, input: Record<string, unknown>, options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run>;
  /** The run log, oldest first. */
  runs(): RunRecord[];
  /** Polls the run log until `predicate` holds; returns the runs then. */
  waitForRuns(predicate: (runs: RunRecord[]) => boolean, what: string, timeoutMs?: number): Promise<RunRecord[]>;
  /** Waits until no process this machine started (detached pushes and sweeps included) is left. */
  settle(timeoutMs?: number): Promise<void>;
  /** Where Claude Code keeps the transcripts of sessions run in `dir`. */
  projectFolder(dir: string): string;
  close(): Promise<void>;
}

/** A machine of its own; `close()` waits for its processes and removes it. */
export async function makeMachine(options: { key?: string | null } = {}): Promise<Machine> {
  const root = realpathSync(await mkdtemp(path.join(tmpdir(), 'tl-machine-')));
  const dirs = {
    HOME: path.join(root, 'home'),
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_CACHE_HOME: path.join(root, 'cache'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
    CLAUDE_CONFIG_DIR: path.join(root, 'claude'),
    CODEX_HOME: path.join(root, 'codex'),
  };
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  const key = options.key === undefined ? TEAM_KEY : options.key;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...dirs,
    ...(key === null ? {} : { TOKENLEDGER_KEY: key }),
    // No system git config either: only what a test sets in its repositories counts.
    GIT_CONFIG_NOSYSTEM: '1',
    TZ: 'UTC',
    NO_COLOR: '1',
    [MACHINE_MARK]: root,
  };
  const runLogFile = path.join(dirs.XDG_STATE_HOME, 'tokenledger', 'hook-runs.jsonl');
  const runs = (): RunRecord[] => {
    let text = '';
    try {
      text = readFileSync(runLogFile, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunRecord);
  };
  const machine: Machine = {
    root,
    env,
    claudeDir: dirs.CLAUDE_CONFIG_DIR,
    settingsFile: path.join(dirs.CLAUDE_CONFIG_DIR, 'settings.json'),
    runLogFile,
    cli: (args, opts = {}) => run(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? root, env: opts.env ?? env }),
    async installHooks() {
      const install = await machine.cli(['hook', 'install']);
      if (install.code !== 0) throw new Error(`hook install failed: ${install.stderr}`);
      const settings = JSON.parse(await readFile(machine.settingsFile, 'utf8'));
      const ours = (event: string): string => {
        const commands = (settings.hooks?.[event] ?? []).flatMap((group: any) => (group.hooks ?? []).map((handler: any) => handler.command as string));
        const found = commands.filter((command: string) => command.includes('tokenledger'));
        if (found.length !== 1) throw new Error(`expected one tokenledger ${event} hook in settings.json, found ${found.length}`);
        return found[0]!;
      };
      return { SessionEnd: ours('SessionEnd'), SessionStart: ours('SessionStart') };
    },
    hook: (command, input, opts) => run('sh', ['-c', command], { cwd: opts.cwd, env: opts.env ?? env, input: JSON.stringify(input) }),
    runs,
    async waitForRuns(predicate, what, timeoutMs = 10_000) {
      return waitFor(() => (predicate(runs()) ? runs() : undefined), `run log: ${what}`, timeoutMs, () => JSON.stringify(runs(), null, 1));
    },
    async settle(timeoutMs = 15_000) {
      await waitFor(() => (machineProcesses(root).length === 0 ? true : undefined), 'the machine\'s detached processes to exit', timeoutMs, () => machineProcesses(root).join(', '));
    },
    // Claude Code's naming, written out here rather than taken from the code under test.
    projectFolder: (dir) => path.join(dirs.CLAUDE_CONFIG_DIR, 'projects', dir.replace(/[^A-Za-z0-9]/g, '-')),
    async close() {
      try {
        await machine.settle();
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
  };
  return machine;
}

/**
 * Pids of live processes carrying this machine's mark in their environment (Linux /proc). Where
 * there is no /proc, a fixed pause stands in for the check.
 */
function machineProcesses(root: string): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  const mark = `${MACHINE_MARK}=${root}\0`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(mark)) found.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Polls `check` every 50 ms until it gives a value; throws naming `what` (and `detail()`) after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000, detail?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}${detail ? `; last seen: ${detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---------------------------------------------------------------------------------------------
// The data branch, read with plain git (not with the code under test)

export const DATA_REF = 'refs/heads/token-data';

/** The commit `ref` points at in `repo` (a work tree or a bare remote), or undefined. */
export async function tipOf(repo: string, ref = DATA_REF): Promise<string | undefined> {
  return gitMaybe(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
}

/** The files on `ref`, path -> content; empty when the ref does not exist. */
export async function branchFiles(repo: string, ref = DATA_REF): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const tip = await tipOf(repo, ref);
  if (!tip) return files;
  for (const file of (await git(repo, ['ls-tree', '-r', '-z', '--name-only', tip])).split('\0').filter(Boolean)) {
    files.set(file, await git(repo, ['cat-file', 'blob', `${tip}:${file}`]));
  }
  return files;
}

/** The summaries under sessions/ on `ref`, by path. */
export async function branchSummaries(repo: string, ref = DATA_REF): Promise<Map<string, SessionSummary>> {
  const summaries = new Map<string, SessionSummary>();
  for (const [file, content] of await branchFiles(repo, ref)) if (file.startsWith('sessions/')) summaries.set(file, JSON.parse(content) as SessionSummary);
  return summaries;
}

/** `git ls-remote` of the data branch: what the remote really holds. */
export async function remoteTip(remote: string, ref = DATA_REF): Promise<string | undefined> {
  const line = await gitMaybe(tmpdir(), ['ls-remote', remote, ref]);
  return line ? line.split('\t')[0] : undefined;
}

/** Polls the remote (up to `timeoutMs`) until its data branch is `tip`. */
export async function waitForRemoteTip(remote: string, tip: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => ((await remoteTip(remote)) === tip ? true : undefined), `${remote} to have token-data at ${tip}`, timeoutMs);
}

/** Polls the remote (up to `timeoutMs`) until its data branch holds `count` session files; returns their summaries. */
export async function waitForRemoteSessions(remote: string, count: number, timeoutMs = 10_000): Promise<Map<string, SessionSummary>> {
  let last = new Map<string, SessionSummary>();
  return waitFor(
    async () => {
      last = await branchSummaries(remote);
      return last.size === count ? last : undefined;
    },
    `${remote} to hold ${count} session files`,
    timeoutMs,
    () => `${last.size} files`,
  );
}

// ---------------------------------------------------------------------------------------------
// Small sessions

export interface WrittenSession {
  sessionId: string;
  transcript: string;
  /** tokens.total the summary must have. */
  total: number;
}

/**
 * A finished session of two responses at `startedAt` in `projectDir` (a folder under
 * CLAUDE_CONFIG_DIR/projects), recorded as run in `cwd`. `seed` makes every session's token
 * counts different: total = 10,000 + 111 * seed + 3,300.
 */
export async function writeSession(projectDir: string, options: { sessionId: string; cwd: string; seed: number; startedAt?: string; gitBranch?: string }): Promise<WrittenSession> {
  const { sessionId, cwd, seed } = options;
  const start = Date.parse(options.startedAt ?? '2026-05-04T10:00:00.000Z');
  const at = (seconds: number) => new Date(start + seconds * 1000).toISOString();
  const envelope = { sessionId, cwd, gitBranch: options.gitBranch ?? 'feature/secret-work', version: '2.1.114', entrypoint: 'cli' };
  const transcript = await writeTranscript(
    projectDir,
    `${sessionId}.jsonl`,
    [
      userPrompt({ ...envelope, timestamp: at(0), text: `please change module ${seed}` }),
      ...assistantLines({
        ...envelope,
        timestamp: at(5),
        messageId: `msg_${sessionId.slice(0, 8)}_1`,
        requestId: `req_${sessionId.slice(0, 8)}_1`,
        usage: { input: 100, output: 111 * seed, cacheRead: 10_000 - 100 },
        blocks: [
          { type: 'text', text: 'Reading the module.' },
          { type: 'tool_use', id: `toolu_${seed}`, name: 'Read', input: { file_path: `${cwd}/src/module-${seed}.ts` } },
        ],
      }),
      ...assistantLines({
        ...envelope,
        timestamp: at(65),
        messageId: `msg_${sessionId.slice(0, 8)}_2`,
        requestId: `req_${sessionId.slice(0, 8)}_2`,
        usage: { input: 300, cacheWrite5m: 3000 },
        blocks: [{ type: 'text', text: 'Done.' }],
      }),
    ],
    at(65),
  );
  return { sessionId, transcript, total: 10_000 + 111 * seed + 3_300 };
}

/** A session id that looks like Claude Code's (a v4 UUID), different for every `prefix` and `n`. */
export function sessionIdFor(n: number, prefix = 'e2e'): string {
  const hex = createHash('sha256').update(`${prefix}-${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * For a test suite: the hook commands, installed once (they are the same on every machine: this
 * node, this checkout's bin), and `machineFor()`, whose machines are closed after each test, so
 * no detached process outlives its test (afterEach runs before onTestFinished removes repositories).
 */
export function useMachines(): { commands: HookCommands; machineFor: (options?: { key?: string | null }) => Promise<Machine> } {
  const suite = { commands: undefined as unknown as HookCommands, machineFor };
  const machines: Machine[] = [];
  beforeAll(async () => {
    await ensureBuilt();
    const installer = await makeMachine();
    try {
      suite.commands = await installer.installHooks();
    } finally {
      await installer.close();
    }
  }, 60_000);
  afterEach(async () => {
    await Promise.all(machines.splice(0).map((machine) => machine.close()));
  });
  async function machineFor(options: { key?: string | null } = {}): Promise<Machine> {
    const machine = await makeMachine(options);
    machines.push(machine);
    return machine;
  }
  return suite;
}
