/**
 * Capture: one session's transcript -> its anonymized summary, committed to the repository's data
 * branch. Shared by the hook, the sweep and backfill. The developer's checkout is never touched:
 * the ledger writes with plumbing only.
 */
import { loadRepoConfig, resolveAnonymizationKey, type RepoConfig } from '../config.js';
import { AnonymizationKeyError, UserFacingError } from '../errors.js';
import { gitMaybe } from '../ledger/git.js';
import { commitsDuring } from '../ledger/session-commits.js';
import { activeStrategies, defaultBranchRef, readStrategyEvents, type StrategyEvent } from '../ledger/trailers.js';
import { writeSummaries } from '../ledger/write.js';
import { MAX_MALFORMED_SAMPLES } from '../sources/diagnostics.js';
import { readSessionEvents, type SessionRead } from '../sources/session.js';
import type { UsageEvent } from '../sources/events.js';
import { developerId, summaryBranch } from '../summary/anonymize.js';
import type { SessionSummary } from '../summary/schema.js';
import { summarizeSession } from '../summary/summarize.js';
import { TOKENLEDGER_VERSION } from '../version.js';
import { recordCapture } from './capture-index.js';
import { transcriptState } from './transcript-state.js';

/** Experiments are looked for in this much default-branch history before a session. */
const STRATEGY_LOOKBACK_MS = 365 * 86_400_000;

export class NotARepositoryError extends UserFacingError {
  constructor(readonly dir: string) {
    super(`${dir}: not inside a git repository`);
  }
}

export async function repositoryRoot(dir: string): Promise<string> {
  const root = await gitMaybe(dir, ['rev-parse', '--show-toplevel']);
  if (!root) throw new NotARepositoryError(dir);
  return root;
}

/** The branch the session worked on: the last one its main thread recorded. */
function sessionBranch(events: UsageEvent[]): string | null {
  let latest: UsageEvent | undefined;
  for (const event of events) if (!event.isSidechain && event.gitBranch && (!latest || event.timestampMs >= latest.timestampMs)) latest = event;
  return latest?.gitBranch ?? null;
}

/** What every summary of one repository needs from it and from this machine; read once per run. */
export interface RepositoryContext {
  root: string;
  config: RepoConfig;
  /** Undefined when no key can be had (a shallow clone without a configured key): ids are then left out. */
  key: string | undefined;
  email: string | undefined;
  strategyEvents: StrategyEvent[];
  /** Things `doctor` should hear about (no key, …). */
  warnings: string[];
}

/** The anonymization key, or undefined with the reason in `warnings` (capture goes on without ids). */
async function anonymizationKey(root: string, env: NodeJS.ProcessEnv, warnings: string[]): Promise<string | undefined> {
  try {
    return (await resolveAnonymizationKey(root, env)).key;
  } catch (error) {
    if (!(error instanceof AnonymizationKeyError)) throw error;
    warnings.push(error.message);
    return undefined;
  }
}

export async function loadRepositoryContext(repoDir: string, env: NodeJS.ProcessEnv = process.env): Promise<RepositoryContext> {
  const root = await repositoryRoot(repoDir);
  const config = await loadRepoConfig(root);
  const warnings: string[] = [];
  const [key, email, strategyRef] = await Promise.all([
    anonymizationKey(root, env, warnings),
    gitMaybe(root, ['config', '--get', 'user.email']),
    defaultBranchRef(root, config.remote),
  ]);
  const strategyEvents = await readStrategyEvents(root, { ref: strategyRef, since: Date.now() - STRATEGY_LOOKBACK_MS, trailer: config.strategyTrailer });
  return { root, config, key, email: email || undefined, strategyEvents, warnings };
}

/** The summary of `transcript` as it would be committed (anonymized, with strategies and commits); undefined when it billed nothing. */
export async function prepareSummary(transcript: string, context: RepositoryContext, capturedBy: SessionSummary['capturedBy']): Promise<SessionSummary | undefined> {
  return (await prepareCapture(transcript, context, capturedBy)).summary;
}

/**
 * `prepareSummary`, and what the run log should say about lines of the session's files that could
 * not be read: their number (the reader keeps the first MAX_MALFORMED_SAMPLES), never their text.
 */
async function prepareCapture(transcript: string, context: RepositoryContext, capturedBy: SessionSummary['capturedBy']): Promise<{ summary: SessionSummary | undefined; damage: string | undefined }> {
  const read = await readSessionEvents(transcript);
  const count = read.warnings.length;
  const damage = count === 0 ? undefined : `${count >= MAX_MALFORMED_SAMPLES ? `${count} or more` : count} malformed line(s) skipped`;
  return { summary: await summaryOf(read, context, capturedBy), damage };
}

async function summaryOf({ agent, sessionId, events }: SessionRead, context: RepositoryContext, capturedBy: SessionSummary['capturedBy']): Promise<SessionSummary | undefined> {
  if (events.length === 0) return undefined;
  const times = events.map((event) => event.timestampMs);
  const startMs = Math.min(...times);
  const endMs = Math.max(...times);
  const { config, email, key } = context;
  const commits = email ? await commitsDuring(context.root, { sinceMs: startMs, untilMs: endMs, authorEmail: email, dataBranch: config.dataBranch }) : [];
  return summarizeSession(events, {
    agent,
    sessionId,
    parser: TOKENLEDGER_VERSION,
    capturedBy,
    developer: email && key ? developerId(email, key) : null,
    branch: key || config.branchNames === 'plain' ? summaryBranch(sessionBranch(events), key ?? '', config.branchNames) : null,
    ...(config.category ? { category: config.category } : {}),
    timeResolution: config.timeResolution,
    commits,
    strategies: activeStrategies(context.strategyEvents, startMs),
  });
}

export interface TranscriptCapture {
  transcript: string;
  outcome: 'captured' | 'unchanged' | 'no-usage' | 'failed';
  summaryId?: string;
  reason?: string;
}

/**
 * Captures transcripts of one repository in one commit on its data branch. A transcript that
 * cannot be summarized is reported and left for the next sweep; the others are still written.
 */
export async function captureSessions(transcripts: readonly string[], context: RepositoryContext, capturedBy: SessionSummary['capturedBy'], env: NodeJS.ProcessEnv = process.env, onProgress?: (done: number) => void): Promise<TranscriptCapture[]> {
  const prepared: { transcript: string; file: { size: number; mtimeMs: number }; summary: SessionSummary | undefined; damage: string | undefined }[] = [];
  const results: TranscriptCapture[] = [];
  for (const [index, transcript] of transcripts.entries()) {
    try {
      // Size and mtime first: if the transcript grows while it is read, the sweep sees it as stale.
      const file = await transcriptState(transcript);
      prepared.push({ transcript, file, ...(await prepareCapture(transcript, context, capturedBy)) });
    } catch (error) {
      results.push({ transcript, outcome: 'failed', reason: (error as Error).message });
    }
    onProgress?.(index + 1);
  }
  const summaries = prepared.flatMap((item) => (item.summary ? [item.summary] : []));
  const written = summaries.length > 0 ? await writeSummaries(context.root, summaries, { ref: `refs/heads/${context.config.dataBranch}` }) : undefined;
  for (const { transcript, file, summary, damage } of prepared) {
    await recordCapture(env, { transcript, size: file.size, mtimeMs: file.mtimeMs, repo: context.root, summaryId: summary?.id ?? null });
    // A damaged transcript is still captured (what can be read of it); the log says how damaged.
    const note = damage ? { reason: damage } : {};
    results.push(summary ? { transcript, outcome: written?.changed ? 'captured' : 'unchanged', summaryId: summary.id, ...note } : { transcript, outcome: 'no-usage', ...note });
  }
  return results;
}
