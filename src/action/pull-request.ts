/**
 * The `pr-comment` command: the sticky comment on a pull request, from the same data the nightly
 * reads (collect.ts), for this repository alone: its week against the previous one, the sessions
 * that made one of the pull request's commits, and the experiments running in it.
 *
 * A pull request from a fork gets no write call at all: its workflow token is read-only, so a
 * write would only fail the run. The body goes to the job summary instead, where the fork's
 * author and the reviewers can still read it.
 */
import { readFile } from 'node:fs/promises';
import type { Experiment } from '../aggregate/experiments.js';
import { weeklyDeltas, type SessionRow } from '../aggregate/index.js';
import { escapeMarkdown } from '../report/pr-comment-escape.js';
import { PR_COMMENT_MARKER, renderPullRequestComment, type ExperimentEstimate } from '../report/pr-comment.js';
import { collectLedgers, type CollectOptions } from './collect.js';
import { InputError } from './inputs.js';
import { judgeExperiments } from '../aggregate/judge.js';
import { commentOnPullRequest, parsePullRequestEvent, type GitHubClient, type PullRequestCommentResult } from './pr-comment.js';

export interface PullRequestContext {
  /** The webhook payload GitHub wrote to `GITHUB_EVENT_PATH`. */
  event: unknown;
  octokit: GitHubClient;
}

export interface PullRequestCommentRun {
  comment: PullRequestCommentResult;
  body: string;
  /** For the job summary: set for a fork, whose comment is shown there instead. */
  summaryMarkdown?: string;
}

/** Reads the event payload; a missing path means the step does not run on a pull request. */
export async function readEvent(eventPath: string | undefined): Promise<unknown> {
  if (!eventPath) throw new InputError('pr-comment needs the pull_request event, but GITHUB_EVENT_PATH is not set');
  return JSON.parse(await readFile(eventPath, 'utf8')) as unknown;
}

export async function runPullRequestComment(options: CollectOptions, { event, octokit }: PullRequestContext): Promise<PullRequestCommentRun> {
  // Checked before anything is fetched: a push or schedule event fails fast, naming the field.
  const { pull_request: pr } = parsePullRequestEvent(event);
  const repository = options.repositories[0]?.name;
  // A comment must describe the repository it is posted on, never another one's data.
  if (options.repositories.length !== 1 || repository === undefined || repository.toLowerCase() !== pr.base.repo.full_name.toLowerCase()) {
    throw new InputError(`pr-comment reads one repository, the pull request's (${pr.base.repo.full_name}); GITHUB_REPOSITORY is ${repository ?? 'not set'}`);
  }
  const [owner, repo] = pr.base.repo.full_name.split('/') as [string, string];

  const { now, partial } = await collectLedgers(options);
  const { experiments } = judgeExperiments(partial, options);
  // GitHub lists at most 250 commits of a pull request; sessions behind older ones go unlinked.
  const listed = await octokit.paginate(octokit.rest.pulls.listCommits, { owner, repo, pull_number: pr.number, per_page: 100 });
  const prCommits = new Set(listed.map((commit) => commit.sha));
  const sessions = partial.sessions.filter((row) => row.repository === repository);
  const weekly = weeklyDeltas(partial, { now, repository }).repositories[0]!;

  const body = renderPullRequestComment({
    repository,
    weekly,
    linkedSessions: sessions.filter((row) => row.commits.some((sha) => prCommits.has(sha))),
    experiments: activeEstimates(experiments, repository),
    generatedAt: dataAsOf(sessions, now),
  });
  const comment = await commentOnPullRequest(octokit, event, { owner, repo, body, marker: PR_COMMENT_MARKER });
  if (comment !== 'skipped-fork') return { comment, body };
  const head = pr.head.repo?.full_name ?? 'a deleted repository';
  const why = `> This pull request comes from a fork (${escapeMarkdown(head)}): its workflow token cannot write comments, so tokenledger shows the comment here instead.`;
  return { comment, body, summaryMarkdown: `${why}\n\n${body}` };
}

/**
 * The footer's time is the newest session's end, not the clock: a rerun on unchanged data must
 * render the same body, or the sticky comment would be rewritten on every push. With no session
 * yet, the start of today stands in (the week rows can only change from one day to the next).
 */
function dataAsOf(sessions: readonly SessionRow[], now: Date): string {
  const newest = Math.max(...sessions.map((row) => Date.parse(row.endedAt)).filter((time) => !Number.isNaN(time)));
  return newest === -Infinity ? `${now.toISOString().slice(0, 10)}T00:00:00.000Z` : new Date(newest).toISOString();
}

/** Experiments started on this repository's default branch and not ended, by tokens per session. */
export function activeEstimates(experiments: readonly Experiment[], repository: string): ExperimentEstimate[] {
  const estimates: ExperimentEstimate[] = [];
  for (const experiment of experiments) {
    if (!experiment.repositories.some((entry) => entry.repository === repository && entry.endedAt === null)) continue;
    const tokens = experiment.metrics.find((metric) => metric.metric === 'totalTokens');
    if (tokens === undefined) continue;
    estimates.push({ slug: experiment.slug, status: tokens.status, ratio: tokens.ratio, low: tokens.interval?.low ?? null, high: tokens.interval?.high ?? null, nBefore: tokens.nBefore, nAfter: tokens.nAfter });
  }
  return estimates;
}
