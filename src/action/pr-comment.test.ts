import { getOctokit } from '@actions/github';
import { describe, expect, it } from 'vitest';
import { ACTIONS_BOT, HUMAN, startGitHubServer, type GitHubServer, type Thread } from '../../test/helpers/github-server.js';
import { commentOnPullRequest, isForkPullRequest, upsertStickyComment, type GitHubClient } from './pr-comment.js';

const MARKER = '<!-- tokenledger:pr-comment -->';
const TOKEN = 'ghs_test-token';
const thread: Thread = { owner: 'acme', repo: 'app', issueNumber: 7 };
const target = { owner: thread.owner, repo: thread.repo, issueNumber: thread.issueNumber, marker: MARKER };

function client(server: GitHubServer): GitHubClient {
  return getOctokit(TOKEN, { baseUrl: server.url });
}

/** `count` human comments, as on a busy review thread. */
function chatter(count: number, from = 0) {
  return Array.from({ length: count }, (_, index) => ({ body: `review comment ${from + index + 1}` }));
}

function pullRequestPayload(head: string | null, base = 'acme/app') {
  return {
    action: 'synchronize',
    number: 7,
    pull_request: {
      number: 7,
      head: { ref: 'feature', sha: 'a'.repeat(40), repo: head === null ? null : { full_name: head } },
      base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: base } },
    },
    repository: { full_name: base },
  };
}

describe('upsertStickyComment against a stand-in GitHub API', () => {
  it('creates exactly one comment on a thread of 130 comments, reading every page first', async () => {
    await using server = await startGitHubServer();
    server.seedComments(thread, chatter(130));

    expect(await upsertStickyComment(client(server), { ...target, body: `${MARKER}\nfirst` })).toBe('created');

    expect(server.writes()).toHaveLength(1);
    expect(server.writes()[0]).toMatchObject({ method: 'POST', path: '/repos/acme/app/issues/7/comments', body: { body: `${MARKER}\nfirst` } });
    const pages = server.requests.filter((request) => request.method === 'GET').map((request) => request.query);
    expect(pages).toEqual([{ per_page: '100' }, { per_page: '100', page: '2' }]);
    const comments = server.comments(thread);
    expect(comments).toHaveLength(131);
    expect(comments.at(-1)).toMatchObject({ body: `${MARKER}\nfirst`, user: ACTIONS_BOT });
  });

  it('makes no write when run again with the same body', async () => {
    await using server = await startGitHubServer();
    server.seedComments(thread, chatter(130));
    const octokit = client(server);
    await upsertStickyComment(octokit, { ...target, body: `${MARKER}\nsame` });

    expect(await upsertStickyComment(octokit, { ...target, body: `${MARKER}\nsame` })).toBe('unchanged');
    expect(server.writes()).toHaveLength(1);
    expect(server.comments(thread)).toHaveLength(131);
  });

  it('updates our comment in place when it sits on the second page', async () => {
    await using server = await startGitHubServer();
    server.seedComments(thread, chatter(100));
    const [ours] = server.seedComments(thread, [{ body: `${MARKER}\nold`, user: ACTIONS_BOT }]);
    server.seedComments(thread, chatter(29, 100));

    expect(await upsertStickyComment(client(server), { ...target, body: `${MARKER}\nnew` })).toBe('updated');

    expect(server.writes()).toEqual([expect.objectContaining({ method: 'PATCH', path: `/repos/acme/app/issues/comments/${ours!.id}`, body: { body: `${MARKER}\nnew` } })]);
    expect(server.comments(thread)).toHaveLength(130);
    expect(server.comments(thread).find((comment) => comment.id === ours!.id)?.body).toBe(`${MARKER}\nnew`);
  });

  it('ignores a human comment that quotes the marker and creates our own', async () => {
    await using server = await startGitHubServer();
    const [quote] = server.seedComments(thread, [{ body: `> ${MARKER}\n> old numbers\nThis looks high?`, user: HUMAN }]);

    expect(await upsertStickyComment(client(server), { ...target, body: `${MARKER}\nnew` })).toBe('created');

    expect(server.writes().map((request) => request.method)).toEqual(['POST']);
    expect(server.comments(thread).find((comment) => comment.id === quote!.id)?.body).toContain('This looks high?');
  });

  it('ignores another bot with the marker unless the bot login is unknown', async () => {
    await using server = await startGitHubServer();
    const [other] = server.seedComments(thread, [{ body: `${MARKER}\nold`, user: { login: 'some-other-app[bot]', type: 'Bot' } }]);
    const octokit = client(server);

    expect(await upsertStickyComment(octokit, { ...target, body: `${MARKER}\nnew` })).toBe('created');
    expect(await upsertStickyComment(octokit, { ...target, body: `${MARKER}\nnew`, botLogin: 'tokenledger[bot]' })).toBe('created');
    expect(await upsertStickyComment(octokit, { ...target, body: `${MARKER}\nnewer`, botLogin: null })).toBe('updated');
    expect(server.writes().at(-1)).toMatchObject({ method: 'PATCH', path: `/repos/acme/app/issues/comments/${other!.id}` });
  });

  it('authenticates every request with the token', async () => {
    await using server = await startGitHubServer();
    server.seedComments(thread, chatter(130));
    const octokit = client(server);
    await upsertStickyComment(octokit, { ...target, body: `${MARKER}\none` });
    await upsertStickyComment(octokit, { ...target, body: `${MARKER}\ntwo` });

    expect(server.requests.length).toBeGreaterThanOrEqual(6);
    for (const request of server.requests) expect(request.headers.authorization).toBe(`token ${TOKEN}`);
  });

  it('refuses a body without its marker, before any call', async () => {
    await using server = await startGitHubServer();
    await expect(upsertStickyComment(client(server), { ...target, body: 'no marker' })).rejects.toThrow(/marker/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('isForkPullRequest', () => {
  it('tells a fork from a branch of the same repository', () => {
    expect(isForkPullRequest(pullRequestPayload('acme/app'))).toBe(false);
    expect(isForkPullRequest(pullRequestPayload('ACME/App'))).toBe(false);
    expect(isForkPullRequest(pullRequestPayload('mallory/app'))).toBe(true);
  });

  it('counts a deleted head repository as a fork', () => {
    expect(isForkPullRequest(pullRequestPayload(null))).toBe(true);
  });

  it('throws on a payload that is not a pull request', () => {
    expect(() => isForkPullRequest({ action: 'push', ref: 'refs/heads/main' })).toThrow();
  });
});

describe('commentOnPullRequest', () => {
  it('makes no call at all for a fork', async () => {
    await using server = await startGitHubServer();
    expect(await commentOnPullRequest(client(server), pullRequestPayload('mallory/app'), { owner: 'acme', repo: 'app', marker: MARKER, body: `${MARKER}\nx` })).toBe('skipped-fork');
    expect(server.requests).toHaveLength(0);
  });

  it('comments on the pull request the payload names', async () => {
    await using server = await startGitHubServer();
    expect(await commentOnPullRequest(client(server), pullRequestPayload('acme/app'), { owner: 'acme', repo: 'app', marker: MARKER, body: `${MARKER}\nx` })).toBe('created');
    expect(server.comments(thread)).toHaveLength(1);
  });
});
