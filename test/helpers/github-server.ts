/**
 * A recording stand-in for the part of the GitHub REST API the PR comment uses, on 127.0.0.1 and
 * a free port: issue comments kept in memory, listed with `per_page`/`page` and a `Link` header
 * built the way GitHub builds it (so Octokit's paginate follows it exactly as against GitHub),
 * created and updated. Every request is recorded, so tests can assert on what was (not) written.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CommentUser {
  login: string;
  type: 'Bot' | 'User';
}

export interface StoredComment {
  id: number;
  body: string;
  user: CommentUser;
  created_at: string;
  updated_at: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface GitHubServer extends AsyncDisposable {
  /** Base URL for Octokit (`baseUrl`, or `GITHUB_API_URL`). */
  url: string;
  requests: RecordedRequest[];
  /** Appends comments to a thread, oldest first; the author defaults to a human. */
  seedComments(thread: Thread, comments: ReadonlyArray<{ body: string; user?: CommentUser }>): StoredComment[];
  /** The thread's comments in creation order. */
  comments(thread: Thread): StoredComment[];
  /** Requests other than GET. */
  writes(): RecordedRequest[];
  /** The commits a pull request lists (`GET /repos/:o/:r/pulls/:n/commits`), oldest first; read on every request. */
  setPullCommits(thread: Thread, shas: () => readonly string[]): void;
  close(): Promise<void>;
}

export interface Thread {
  owner: string;
  repo: string;
  issueNumber: number;
}

/** Who creates comments through the API: the Actions token's bot. */
export const ACTIONS_BOT: CommentUser = { login: 'github-actions[bot]', type: 'Bot' };
export const HUMAN: CommentUser = { login: 'octocat', type: 'User' };

const LIST = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
const ONE = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/;
const PULL_COMMITS = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/commits$/;

export async function startGitHubServer(): Promise<GitHubServer> {
  const threads = new Map<string, StoredComment[]>();
  const pullCommits = new Map<string, () => readonly string[]>();
  const keyOf = (thread: Thread) => `${thread.owner}/${thread.repo}#${thread.issueNumber}`.toLowerCase();
  const requests: RecordedRequest[] = [];
  let nextId = 1000;
  // A fixed clock keeps responses reproducible; each comment gets its own second.
  let clock = Date.parse('2026-05-01T00:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString().replace('.000Z', 'Z');

  const threadOf = (thread: Thread) => {
    const key = keyOf(thread);
    let comments = threads.get(key);
    if (!comments) threads.set(key, (comments = []));
    return comments;
  };
  const add = (thread: Thread, body: string, user: CommentUser): StoredComment => {
    const time = now();
    const comment = { id: nextId++, body, user, created_at: time, updated_at: time };
    threadOf(thread).push(comment);
    return comment;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const text = await readBody(req);
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body, headers: req.headers });

    const list = LIST.exec(url.pathname);
    if (list) {
      const thread = { owner: list[1]!, repo: list[2]!, issueNumber: Number(list[3]) };
      if (req.method === 'GET') return listPage(res, url, threadOf(thread));
      if (req.method === 'POST') {
        const text = bodyText(body);
        if (text === null) return send(res, 422, { message: 'Validation Failed' });
        return send(res, 201, add(thread, text, ACTIONS_BOT));
      }
    }
    const pull = PULL_COMMITS.exec(url.pathname);
    if (pull && req.method === 'GET') {
      const shas = pullCommits.get(keyOf({ owner: pull[1]!, repo: pull[2]!, issueNumber: Number(pull[3]) }));
      return listPage(res, url, (shas?.() ?? []).map((sha) => ({ sha })));
    }
    const one = ONE.exec(url.pathname);
    if (one && req.method === 'PATCH') {
      // Comment ids are unique per repository, so the thread is not part of this path.
      const prefix = `${one[1]}/${one[2]}#`.toLowerCase();
      const comment = [...threads.entries()].filter(([key]) => key.startsWith(prefix)).flatMap(([, comments]) => comments).find((c) => c.id === Number(one[3]));
      if (!comment) return send(res, 404, { message: 'Not Found' });
      const text = bodyText(body);
      if (text === null) return send(res, 422, { message: 'Validation Failed' });
      comment.body = text;
      comment.updated_at = now();
      return send(res, 200, comment);
    }
    send(res, 404, { message: 'Not Found' });
  }

  /** GitHub's paging: `per_page` 30 by default and at most 100, pages from 1, `Link` with next/last/first/prev. */
  function listPage(res: ServerResponse, url: URL, comments: readonly unknown[]): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(comments.length / perPage));
    const link = (n: number, rel: string) => {
      const target = new URL(url.pathname, base);
      target.searchParams.set('per_page', String(perPage));
      target.searchParams.set('page', String(n));
      return `<${target.href}>; rel="${rel}"`;
    };
    const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    send(res, 200, comments.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {});
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return {
    url: base,
    requests,
    seedComments: (thread, comments) => comments.map((comment) => add(thread, comment.body, comment.user ?? HUMAN)),
    comments: (thread) => [...threadOf(thread)],
    writes: () => requests.filter((request) => request.method !== 'GET'),
    setPullCommits: (thread, shas) => void pullCommits.set(keyOf(thread), shas),
    close,
    [Symbol.asyncDispose]: close,
  };
}

function bodyText(body: unknown): string | null {
  return typeof body === 'object' && body !== null && 'body' in body && typeof body.body === 'string' ? body.body : null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(data));
}
