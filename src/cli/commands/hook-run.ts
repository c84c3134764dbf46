/**
 * `tokenledger hook run`: what Claude Code's SessionEnd and SessionStart hooks call.
 *
 * Rules it lives by: it always exits 0 and prints nothing on stdout (SessionStart's stdout would
 * become context for the model); SessionEnd hooks share a 1.5 s budget, so it keeps its own
 * deadline well inside it and hands whatever is left (the push, a capture that ran late) to a
 * detached process; every run is logged for `tokenledger doctor`.
 */
import { spawn } from 'node:child_process';
import { captureSessions, loadRepositoryContext } from '../../capture/capture.js';
import { logRun } from '../../capture/run-log.js';
import { sessionTranscriptFiles } from '../../sources/claude-code/index.js';

/** The foreground part of SessionEnd ends by then: its handler timeout is 1 s, the shared budget 1.5 s. */
const SESSION_END_DEADLINE_MS = 800;
/**
 * Sessions whose files add up to more than this are captured by a detached process straight
 * away: parsing them would take a good part of the 1.5 s that all SessionEnd hooks share
 * (bench: the whole capture of a 20 MB session takes ~320 ms in-process on 2 cores).
 */
const FOREGROUND_MAX_BYTES = 8 << 20;
/** Waiting longer than this for hook input means there is none. */
const STDIN_TIMEOUT_MS = 300;

interface HookInput {
  session_id?: unknown;
  transcript_path?: unknown;
  cwd?: unknown;
  hook_event_name?: unknown;
  reason?: unknown;
  source?: unknown;
}

class HookInputError extends Error {}

async function readHookInput(): Promise<HookInput> {
  if (process.stdin.isTTY) throw new HookInputError('no hook input on stdin (this command is run by Claude Code hooks)');
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', resolve);
    process.stdin.on('error', reject);
  });
  const timer = new Promise<void>((resolve) => setTimeout(resolve, STDIN_TIMEOUT_MS).unref());
  await Promise.race([done, timer]);
  process.stdin.pause();
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const input = JSON.parse(text) as unknown;
    if (typeof input !== 'object' || input === null) throw new Error('not an object');
    return input as HookInput;
  } catch (error) {
    throw new HookInputError(`hook input is not a JSON object (${(error as Error).message})`);
  }
}

/** Starts `tokenledger <args>` detached from this process, so it outlives the hook. */
export function startDetached(args: string[]): void {
  const child = spawn(process.execPath, [process.argv[1]!, ...args], { detached: true, stdio: 'ignore', env: process.env });
  child.unref();
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function onSessionEnd(input: HookInput, repoDir: string, log: (outcome: string, extra?: { reason?: string; summaryId?: string; repo?: string }) => void): Promise<void> {
  const transcript = text(input.transcript_path);
  if (!transcript) {
    log('failed', { reason: 'hook input has no transcript_path' });
    return;
  }
  const handOver = ['sync', '--repo', repoDir, '--quiet', '--captured-by', 'hook', '--transcript', transcript];
  const files = await sessionTranscriptFiles(transcript);
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  if (bytes > FOREGROUND_MAX_BYTES) {
    startDetached(handOver);
    log('handed-over', { reason: `session files are ${Math.round(bytes / 1048576)} MiB; captured by a background sync` });
    return;
  }
  const work = (async () => {
    const context = await loadRepositoryContext(repoDir);
    const [result] = await captureSessions([transcript], context, 'hook');
    return { context, result: result! };
  })();
  const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), SESSION_END_DEADLINE_MS).unref());
  const finished = await Promise.race([work, late]);
  const logResult = ({ context, result }: Awaited<typeof work>, note?: string) => {
    const reason = [note, result.reason, ...context.warnings].filter(Boolean).join('; ') || undefined;
    log(result.outcome, { ...(reason ? { reason } : {}), ...(result.summaryId ? { summaryId: result.summaryId } : {}), repo: context.root });
  };
  if (finished === 'late') {
    // Out of time: a detached sync captures this session (it is new or grown) and pushes.
    startDetached(handOver);
    log('deferred', { reason: `capture took over ${SESSION_END_DEADLINE_MS} ms; handed to a background sync` });
    // The capture under way goes on unless Claude Code stops the hook; if it ends, its outcome is logged too.
    const lateNote = 'finished after the deadline';
    await work.then(
      (done) => logResult(done, lateNote),
      (error: unknown) => log('failed', { reason: `${lateNote}: ${error instanceof Error ? error.message : String(error)}` }),
    );
    return;
  }
  logResult(finished);
  if (finished.result.outcome !== 'failed') startDetached(['hook', 'push', '--repo', finished.context.root]);
}

export async function runHook(): Promise<void> {
  const started = performance.now();
  let event = 'unknown';
  const log = (outcome: string, extra: { reason?: string; summaryId?: string; repo?: string } = {}) =>
    logRun(process.env, { event, outcome, durationMs: Math.round(performance.now() - started), ...extra });
  try {
    const input = await readHookInput();
    event = text(input.hook_event_name) ?? 'unknown';
    const repoDir = text(process.env.CLAUDE_PROJECT_DIR) ?? text(input.cwd) ?? process.cwd();
    if (event === 'SessionEnd') await onSessionEnd(input, repoDir, log);
    else if (event === 'SessionStart') {
      // The sweep runs detached: a session must never wait for it to start.
      const args = ['sync', '--repo', repoDir, '--quiet', '--captured-by', 'sweep'];
      const sessionId = text(input.session_id);
      startDetached(sessionId ? [...args, '--exclude-session', sessionId] : args);
      log('sweep-started');
    } else log('ignored', { reason: `not a session start or end event: ${event}` });
  } catch (error) {
    log('failed', { reason: error instanceof Error ? error.message : String(error) });
  }
  // Whatever happened, the agent's session goes on.
  process.exitCode = 0;
}
