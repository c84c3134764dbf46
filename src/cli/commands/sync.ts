/**
 * `tokenledger sync` (also the SessionStart sweep), `tokenledger backfill` and the hook's
 * detached `hook push`: capture this repository's sessions that are missing from its data
 * branch or grew since, then push.
 */
import path from 'node:path';
import { captureSessions, loadRepositoryContext, repositoryRoot } from '../../capture/capture.js';
import { logRun } from '../../capture/run-log.js';
import { pendingTranscripts } from '../../capture/sweep.js';
import { pushLedger, type PushResult } from '../../ledger/push.js';
import { loadRepoConfig } from '../../config.js';
import { earliestStartMs, parseDay } from '../../dates.js';
import type { SessionSummary } from '../../summary/schema.js';
import { UserError } from '../output.js';

export interface SyncFlags {
  repo?: string;
  /** Capture these transcripts too, wherever they are (the hook hands its session over this way). */
  transcript?: string[];
  quiet?: boolean;
  excludeSession?: string;
  capturedBy?: SessionSummary['capturedBy'];
}

export interface BackfillFlags {
  repo?: string;
  since?: string;
}

/**
 * What the run log says about a push: its reason, or for a push that landed after rejections
 * (someone else pushed first; ours was rebuilt on their tip) how many, so doctor can show it.
 */
function pushNote(push: PushResult): string | undefined {
  if (push.reason) return push.reason;
  if (push.outcome === 'pushed' && push.attempts > 1) return `rejected ${push.attempts - 1} time(s) because the remote had moved on; rebuilt on its tip and pushed`;
  return undefined;
}

/** A progress line on stderr when it is a terminal; nothing otherwise (logs stay clean). */
function progress(total: number): ((done: number) => void) | undefined {
  if (!process.stderr.isTTY || total === 0) return undefined;
  return (done) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} sessions`);
    if (done === total) process.stderr.write('\n');
  };
}

async function captureAndPush(
  repoDir: string,
  options: { all: boolean; sinceMs?: number; excludeSessionId?: string; transcripts?: string[]; capturedBy: SessionSummary['capturedBy']; quiet: boolean },
): Promise<void> {
  const started = performance.now();
  const event = options.all ? 'backfill' : 'sync';
  let root: string | undefined;
  try {
    const context = await loadRepositoryContext(repoDir);
    root = context.root;
    const found = await pendingTranscripts(context.root, { all: options.all, sinceMs: options.sinceMs, excludeSessionId: options.excludeSessionId });
    const pending = [...new Set([...(options.transcripts ?? []).map((file) => path.resolve(file)), ...found])];
    const results = await captureSessions(pending, context, options.capturedBy, process.env, options.quiet ? undefined : progress(pending.length));
    const push = await pushAndLog(context.root, context.config);
    const count = (outcome: string) => results.filter((result) => result.outcome === outcome).length;
    const failures = results.filter((result) => result.outcome === 'failed');
    // Failures, and notes on captured sessions (a damaged transcript); the push has its own entry.
    const reason = [...results.map((result) => result.reason), ...context.warnings].filter(Boolean).join('; ') || undefined;
    logRun(process.env, { event, outcome: failures.length > 0 ? 'partial' : 'ok', durationMs: Math.round(performance.now() - started), repo: context.root, ...(reason ? { reason } : {}) });
    if (options.quiet) return;
    process.stdout.write(
      `${pending.length} session(s) to capture: ${count('captured') + count('unchanged')} summarized, ${count('no-usage')} without usage, ${failures.length} failed.\n` +
        `Push to ${context.config.remote}/${context.config.dataBranch}: ${push.outcome}${push.reason ? ` (${push.reason})` : ''}.\n`,
    );
    for (const failure of failures) process.stderr.write(`warning: ${failure.transcript}: ${failure.reason}\n`);
    for (const warning of context.warnings) process.stderr.write(`warning: ${warning}\n`);
  } catch (error) {
    // Run detached (the SessionStart sweep, a SessionEnd past its deadline), nobody sees stderr: the log must say it.
    logRun(process.env, { event, outcome: 'failed', durationMs: Math.round(performance.now() - started), ...(root ? { repo: root } : {}), reason: (error as Error).message });
    throw error;
  }
}

/** Pushes the data branch and logs the push as its own run, so doctor lists a failed push as a failure whoever started it. */
async function pushAndLog(root: string, config: { remote: string; dataBranch: string }): Promise<PushResult> {
  const started = performance.now();
  const push = await pushLedger(root, { remote: config.remote, ref: `refs/heads/${config.dataBranch}` });
  const note = pushNote(push);
  logRun(process.env, { event: 'push', outcome: push.outcome, durationMs: Math.round(performance.now() - started), repo: root, ...(note ? { reason: note } : {}) });
  return push;
}

export async function runSync(flags: SyncFlags): Promise<void> {
  await captureAndPush(flags.repo ?? process.cwd(), {
    all: false,
    excludeSessionId: flags.excludeSession,
    transcripts: flags.transcript,
    capturedBy: flags.capturedBy ?? 'sweep',
    quiet: flags.quiet ?? false,
  });
}

export async function runBackfill(flags: BackfillFlags): Promise<void> {
  const since = flags.since === undefined ? undefined : earliestStartMs(parseDay(flags.since, '--since'));
  await captureAndPush(flags.repo ?? process.cwd(), { all: true, sinceMs: since, capturedBy: 'backfill', quiet: false });
}

/** `hook push`: the detached push after a capture; logged, never loud. */
export async function runHookPush(flags: { repo?: string }): Promise<void> {
  const started = performance.now();
  try {
    const root = await repositoryRoot(flags.repo ?? process.cwd());
    await pushAndLog(root, await loadRepoConfig(root));
  } catch (error) {
    logRun(process.env, { event: 'push', outcome: 'failed', durationMs: Math.round(performance.now() - started), reason: (error as Error).message });
    throw new UserError((error as Error).message);
  }
}
