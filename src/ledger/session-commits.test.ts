import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, cloneRepo, createRepo, removeTempDirs, toMs, type TestRepo } from '../../test/helpers/trailer-repos.js';
import { commitsDuring } from './session-commits.js';

afterEach(removeTempDirs);

const SESSION = { sinceMs: toMs('2026-04-10T10:00:00Z'), untilMs: toMs('2026-04-10T12:00:00Z'), authorEmail: ALICE.email };

/** Git identity and date for commands that commit on their own (stash, merge). */
function identityAt(iso: string): Record<string, string> {
  const date = `@${toMs(iso) / 1000} +0000`;
  return { GIT_AUTHOR_NAME: ALICE.name, GIT_AUTHOR_EMAIL: ALICE.email, GIT_COMMITTER_NAME: ALICE.name, GIT_COMMITTER_EMAIL: ALICE.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
}

async function repoWithBase(): Promise<TestRepo> {
  const repo = await createRepo();
  await repo.commit({ message: 'before the session', at: '2026-04-10T09:59:59Z', files: { 'app.txt': 'one\ntwo\nthree\nfour\n' } });
  return repo;
}

describe('commitsDuring', () => {
  it('lists the developer’s commits in the window, oldest first, with lines added and removed', async () => {
    const repo = await repoWithBase();
    const first = await repo.commit({ message: 'add notes', at: '2026-04-10T10:00:00Z', files: { 'notes.md': 'a\nb\nc\n' } });
    // app.txt: "two" changed, "four" removed -> 1 added, 2 removed; logo.png is binary -> 0.
    const second = await repo.commit({
      message: 'edit',
      at: '2026-04-10T11:00:00Z',
      files: { 'app.txt': 'one\nTWO\nthree\n', 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0xff, 0]) },
    });
    const third = await repo.commit({ message: 'delete notes', at: '2026-04-10T12:00:00Z', files: { 'notes.md': null } });
    await repo.commit({ message: 'after the session', at: '2026-04-10T12:00:01Z', files: { 'late.txt': 'x\n' } });

    expect(await commitsDuring(repo.dir, SESSION)).toEqual([
      { sha: first, added: 3, removed: 0 },
      { sha: second, added: 1, removed: 2 },
      { sha: third, added: 0, removed: 3 },
    ]);
  });

  it('leaves out other authors, and matches the whole e-mail, ignoring case', async () => {
    const repo = await repoWithBase();
    const mine = await repo.commit({ message: 'mine', at: '2026-04-10T10:30:00Z', files: { 'a.txt': 'a\n' } });
    await repo.commit({ message: 'bob', at: '2026-04-10T10:31:00Z', author: BOB, files: { 'b.txt': 'b\n' } });
    await repo.commit({ message: 'similar', at: '2026-04-10T10:32:00Z', author: { name: 'M', email: 'malice@example.com' }, files: { 'c.txt': 'c\n' } });
    await repo.commit({ message: 'regex look-alike', at: '2026-04-10T10:33:00Z', author: { name: 'X', email: 'aliceXexample.com@example.com' }, files: { 'd.txt': 'd\n' } });

    expect((await commitsDuring(repo.dir, SESSION)).map((commit) => commit.sha)).toEqual([mine]);
    expect((await commitsDuring(repo.dir, { ...SESSION, authorEmail: ' Alice@Example.COM ' })).map((commit) => commit.sha)).toEqual([mine]);
    expect(await commitsDuring(repo.dir, { ...SESSION, authorEmail: 'alice.example.com' })).toEqual([]);
  });

  it('takes the e-mail as a fixed string, not a regex', async () => {
    const repo = await repoWithBase();
    const plus = { name: 'P', email: 'a.b+tokens@example.com' };
    const sha = await repo.commit({ message: 'plus', at: '2026-04-10T10:30:00Z', author: plus, files: { 'a.txt': 'a\n' } });
    await repo.commit({ message: 'near', at: '2026-04-10T10:31:00Z', author: { name: 'Q', email: 'aXb+tokens@example.com' }, files: { 'b.txt': 'b\n' } });
    expect((await commitsDuring(repo.dir, { ...SESSION, authorEmail: plus.email })).map((commit) => commit.sha)).toEqual([sha]);
  });

  it('finds commits on other branches and a detached HEAD, leaves out merges', async () => {
    const repo = await repoWithBase();
    await repo.git(['checkout', '-q', '-b', 'feature']);
    const onFeature = await repo.commit({ message: 'feature', at: '2026-04-10T10:10:00Z', files: { 'f.txt': 'f\n' } });
    await repo.git(['checkout', '-q', 'main']);
    const onMain = await repo.commit({ message: 'main', at: '2026-04-10T10:20:00Z', files: { 'm.txt': 'm\n' } });
    await repo.git(['merge', '-q', '--no-ff', '--no-edit', 'feature'], identityAt('2026-04-10T10:30:00Z'));
    await repo.git(['checkout', '-q', '--detach']);
    const detached = await repo.commit({ message: 'detached', at: '2026-04-10T10:40:00Z', files: { 'd.txt': 'd\n' } });

    expect((await commitsDuring(repo.dir, SESSION)).map((commit) => commit.sha)).toEqual([onFeature, onMain, detached]);
  });

  it('leaves out a stash and the token-data branch’s own commits', async () => {
    const repo = await repoWithBase();
    const mine = await repo.commit({ message: 'work', at: '2026-04-10T10:10:00Z', files: { 'w.txt': 'w\n' } });
    await writeFile(path.join(repo.dir, 'w.txt'), 'changed\n');
    await repo.git(['add', 'w.txt']);
    await repo.git(['stash', '-q'], identityAt('2026-04-10T10:20:00Z'));
    await repo.git(['checkout', '-q', '--orphan', 'token-data']);
    await repo.git(['rm', '-q', '-rf', '.']);
    await repo.commit({ message: 'summary', at: '2026-04-10T10:30:00Z', files: { 'sessions/x.json': '{}\n' } });
    await repo.git(['checkout', '-q', 'main']);

    expect(await repo.git(['stash', 'list'])).not.toBe('');
    expect((await commitsDuring(repo.dir, SESSION)).map((commit) => commit.sha)).toEqual([mine]);
  });

  it('counts a renamed file as moved, not rewritten', async () => {
    const repo = await repoWithBase();
    const sha = await repo.commit({ message: 'move', at: '2026-04-10T10:10:00Z', files: { 'app.txt': null, 'src/app.txt': 'one\ntwo\nthree\nfour\n' } });
    expect(await commitsDuring(repo.dir, SESSION)).toEqual([{ sha, added: 0, removed: 0 }]);
  });

  it('keeps the newest commits when there are more than the bound', async () => {
    const repo = await repoWithBase();
    const shas: string[] = [];
    for (let i = 0; i < 5; i++) shas.push(await repo.commit({ message: `c${i}`, at: `2026-04-10T10:0${i}:00Z`, files: { 'n.txt': `${i}\n` } }));
    expect((await commitsDuring(repo.dir, { ...SESSION, maxCommits: 3 })).map((commit) => commit.sha)).toEqual(shas.slice(2));
  });

  it('gives [] for a repository without commits, an empty e-mail or an empty window', async () => {
    const empty = await createRepo();
    expect(await commitsDuring(empty.dir, SESSION)).toEqual([]);
    const repo = await repoWithBase();
    await repo.commit({ message: 'in window', at: '2026-04-10T10:10:00Z' });
    expect(await commitsDuring(repo.dir, { ...SESSION, authorEmail: '  ' })).toEqual([]);
    expect(await commitsDuring(repo.dir, { ...SESSION, untilMs: SESSION.sinceMs - 1 })).toEqual([]);
  });

  it('reads a shallow clone without throwing', async () => {
    const repo = await repoWithBase();
    const first = await repo.commit({ message: 'one', at: '2026-04-10T10:10:00Z', files: { 'a.txt': 'a\n' } });
    const second = await repo.commit({ message: 'two', at: '2026-04-10T10:20:00Z', files: { 'a.txt': 'a\nb\n' } });
    const full = await cloneRepo(repo);
    expect((await commitsDuring(full.dir, SESSION)).map((commit) => commit.sha)).toEqual([first, second]);
    const shallow = await cloneRepo(repo, { depth: 1 });
    expect(await shallow.git(['rev-parse', '--is-shallow-repository'])).toBe('true');
    const commits = await commitsDuring(shallow.dir, SESSION);
    expect(commits.map((commit) => commit.sha)).toEqual([second]);
  });
});
