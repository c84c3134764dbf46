/**
 * The sticky pull request comment: one per pull request, found again by its hidden marker and its
 * author, updated in place, left alone when nothing changed.
 *
 * Two traps of peers are avoided on purpose. changesets/action looks only at the first page of
 * comments, so on a busy thread (over 30 or 100 comments) it posts a second comment every run:
 * here every page is read. And a marker alone is not proof of authorship: a reviewer quoting our
 * comment copies the marker, and updating their comment would fail (403) or, with a powerful
 * token, overwrite their words. So the author must be a bot, and the expected bot when known.
 */
import type { getOctokit } from '@actions/github';
import { z } from 'zod';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** The login comments get when written with the workflow's `GITHUB_TOKEN`. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export type StickyResult = 'created' | 'updated' | 'unchanged';

export interface StickyCommentOptions {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Must contain `marker`, or the next run could not find the comment. */
  body: string;
  marker: string;
  /**
   * Login of the bot that writes the comment: default `github-actions[bot]`; a GitHub App token
   * writes as `<app-slug>[bot]`. null when unknown: then any bot's comment with the marker counts.
   */
  botLogin?: string | null;
}

interface ListedComment {
  id: number;
  body?: string | null;
  user: { login: string; type: string } | null;
}

export async function upsertStickyComment(octokit: GitHubClient, options: StickyCommentOptions): Promise<StickyResult> {
  const { owner, repo, issueNumber, body, marker } = options;
  if (marker === '' || !body.includes(marker)) throw new TypeError('the comment body must contain its (non-empty) marker');
  const botLogin = options.botLogin === undefined ? ACTIONS_BOT_LOGIN : options.botLogin;

  const comments: ListedComment[] = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  // The oldest match, should an earlier race have left two: the same one is then updated every run.
  const ours = comments.find((comment) => isOurs(comment, marker, botLogin));

  if (ours === undefined) {
    await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return 'created';
  }
  if (ours.body === body) return 'unchanged';
  await octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
  return 'updated';
}

function isOurs(comment: ListedComment, marker: string, botLogin: string | null): boolean {
  if (comment.user?.type !== 'Bot') return false;
  if (botLogin !== null && comment.user.login !== botLogin) return false;
  return comment.body?.includes(marker) ?? false;
}

/** The parts of a `pull_request` / `pull_request_target` payload the Action uses. */
const pullRequestPayloadSchema = z.looseObject({
  pull_request: z.looseObject({
    number: z.number().int().positive(),
    // head.repo is null when the fork was deleted.
    head: z.looseObject({ sha: z.string().regex(/^[0-9a-f]{40}$/), repo: z.looseObject({ full_name: z.string() }).nullable() }),
    base: z.looseObject({ sha: z.string().regex(/^[0-9a-f]{40}$/), repo: z.looseObject({ full_name: z.string().regex(/^[^/]+\/[^/]+$/) }) }),
  }),
});
export type PullRequestEvent = z.infer<typeof pullRequestPayloadSchema>;

/** Throws (naming the field) when the payload is not a pull request's. */
export function parsePullRequestEvent(payload: unknown): PullRequestEvent {
  const parsed = pullRequestPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TypeError(`not a pull_request event: ${issue.path.join('.') || 'payload'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * True when the pull request comes from another repository (a fork). Its `GITHUB_TOKEN` is
 * read-only, so a write would fail the run: the caller writes the job summary instead. A deleted
 * head repository counts as a fork, since nothing shows it was not one. Throws when the payload
 * is not a pull request's: deciding "not a fork" on a payload we cannot read would risk a write.
 */
export function isForkPullRequest(payload: unknown): boolean {
  const { pull_request: pr } = parsePullRequestEvent(payload);
  return pr.head.repo === null || pr.head.repo.full_name.toLowerCase() !== pr.base.repo.full_name.toLowerCase();
}

export type PullRequestCommentResult = StickyResult | 'skipped-fork';

/**
 * The Action's `pr-comment` step after the body is rendered: no call at all for a fork, the sticky
 * comment otherwise, on the pull request the payload names.
 */
export async function commentOnPullRequest(octokit: GitHubClient, payload: unknown, options: Omit<StickyCommentOptions, 'issueNumber'>): Promise<PullRequestCommentResult> {
  if (isForkPullRequest(payload)) return 'skipped-fork';
  const { pull_request: pr } = parsePullRequestEvent(payload);
  return upsertStickyComment(octokit, { ...options, issueNumber: pr.number });
}
