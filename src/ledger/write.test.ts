import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  addWorktree,
  checkoutFeature,
  cloneWorkRepo,
  detachHead,
  dirtyTree,
  installFailingHooks,
  leftoverScratch,
  makeEmptyRepo,
  makeRemote,
  makeSummary,
  makeWorkRepo,
  snapshotCheckout,
  stageFile,
} from '../../test/helpers/git-repos.js';
import { InvalidSummaryError, LedgerError } from './errors.js';
import { git } from './git.js';
import { DATA_REF, summaryPath } from './paths.js';
import { writeSummaries } from './write.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function branchFiles(repo: string, ref = DATA_REF): Promise<string[]> {
  return (await git(repo, ['ls-tree', '-r', '--name-only', '--full-tree', ref])).split('\n').filter(Boolean).sort();
}

async function commitCount(repo: string, ref = DATA_REF): Promise<number> {
  return Number(await git(repo, ['rev-list', '--count', ref]));
}

/** A work repository in one of the states developers leave it in; `also` lists more checkouts to watch. */
interface Scenario {
  name: string;
  arrange(): Promise<{ repo: string; writeFrom?: string; also?: string[]; hooksRan?: string }>;
}

const scenarios: Scenario[] = [
  {
    name: 'a clone with a dirty tree, a staged file and a feature branch checked out',
    async arrange() {
      const repo = await cloneWorkRepo(await makeRemote());
      await checkoutFeature(repo);
      await dirtyTree(repo);
      await stageFile(repo);
      return { repo };
    },
  },
  {
    name: 'a detached HEAD',
    async arrange() {
      const repo = await makeWorkRepo();
      await detachHead(repo);
      await dirtyTree(repo);
      return { repo };
    },
  },
  {
    name: 'a shallow clone',
    async arrange() {
      const repo = await cloneWorkRepo(await makeRemote(), { shallow: true });
      expect(await git(repo, ['rev-parse', '--is-shallow-repository'])).toBe('true');
      return { repo };
    },
  },
  {
    name: 'core.hooksPath set to hooks that fail',
    async arrange() {
      const repo = await makeWorkRepo();
      await stageFile(repo);
      return { repo, hooksRan: await installFailingHooks(repo) };
    },
  },
  {
    name: 'a linked worktree (written from the worktree)',
    async arrange() {
      const repo = await makeWorkRepo();
      const worktree = await addWorktree(repo);
      await stageFile(worktree);
      await dirtyTree(repo);
      return { repo, writeFrom: worktree, also: [worktree] };
    },
  },
  {
    name: 'an empty repository (no commits at all)',
    async arrange() {
      const repo = await makeEmptyRepo();
      await writeFile(path.join(repo, 'draft.txt'), 'not committed\n');
      return { repo };
    },
  },
  {
    name: 'a subdirectory of the checkout as the repository folder',
    async arrange() {
      const repo = await makeWorkRepo();
      await stageFile(repo);
      return { repo, writeFrom: path.join(repo, 'src') };
    },
  },
  {
    name: 'commit.gpgSign on with a signing program that fails',
    async arrange() {
      const repo = await makeWorkRepo();
      await git(repo, ['config', 'commit.gpgSign', 'true']);
      await git(repo, ['config', 'gpg.program', 'false']);
      return { repo };
    },
  },
];

describe('writeSummaries leaves the checkout byte-identical', () => {
  it('(the snapshot does see what ordinary git commands change)', async () => {
    const repo = await makeWorkRepo();
    const start = await snapshotCheckout(repo);
    await writeFile(path.join(repo, 'README.md'), '# project\n'); // same bytes: only the index's stat data could change
    expect(await snapshotCheckout(repo)).toEqual(start);
    await stageFile(repo);
    const staged = await snapshotCheckout(repo);
    expect(staged.index).not.toBe(start.index);
    await git(repo, ['branch', 'other']);
    expect((await snapshotCheckout(repo)).refs).not.toEqual(staged.refs);
    await detachHead(repo);
    expect((await snapshotCheckout(repo)).head).not.toBe(staged.head);
  });

  it.each(scenarios)('$name', async (scenario) => {
    const { repo, writeFrom = repo, also = [], hooksRan } = await scenario.arrange();
    const watched = [repo, ...also];
    const before = await Promise.all(watched.map(snapshotCheckout));

    const first = makeSummary();
    const second = makeSummary({ startedAt: '2026-05-05T08:00:00.000Z' });
    const created = await writeSummaries(writeFrom, [first]);
    const updated = await writeSummaries(writeFrom, [second, { ...first, userTurns: 7 }]);

    expect(created.changed && updated.changed).toBe(true);
    expect(await git(repo, ['rev-parse', DATA_REF])).toBe(updated.commit);
    expect(await branchFiles(repo)).toEqual([summaryPath(first), summaryPath(second)].sort());
    expect(await Promise.all(watched.map(snapshotCheckout))).toEqual(before);
    expect(await leftoverScratch(writeFrom)).toEqual([]);
    if (hooksRan) expect(await readdir(hooksRan)).toEqual([]);
  });
});

describe('writeSummaries: what is committed', () => {
  it('commits pretty JSON as an orphan history by tokenledger, dated in UTC to the hour', async () => {
    const repo = await makeWorkRepo();
    const summary = makeSummary();
    const { commit, written } = await writeSummaries(repo, [summary]);

    expect(written).toEqual([summaryPath(summary)]);
    expect(await git(repo, ['show', `${DATA_REF}:${summaryPath(summary)}`])).toBe(JSON.stringify(summary, null, 2));
    const [authorName, authorEmail, authorDate, committer, parents] = (await git(repo, ['show', '-s', '--date=raw', '--format=%an%n%ae%n%ad%n%cn <%ce> %cd%n%P', commit!])).split('\n');
    expect([authorName, authorEmail]).toEqual(['tokenledger', 'tokenledger@localhost']);
    expect(authorDate).toMatch(/^\d+ \+0000$/);
    expect(Number(authorDate!.split(' ')[0]) % 3600).toBe(0);
    expect(committer).toBe(`tokenledger <tokenledger@localhost> ${authorDate}`);
    expect(parents).toBe('');
    expect(await git(repo, ['log', '--format=%ae %ce', DATA_REF])).toBe('tokenledger@localhost tokenledger@localhost');
  });

  it('works without user.name or user.email configured', async () => {
    const repo = await makeEmptyRepo();
    await git(repo, ['config', '--unset', 'user.name']);
    await git(repo, ['config', '--unset', 'user.email']);
    const { commit } = await writeSummaries(repo, [makeSummary()]);
    expect(await git(repo, ['show', '-s', '--format=%an <%ae>', commit!])).toBe('tokenledger <tokenledger@localhost>');
  });

  it('keeps one file per session when it is captured again, also when its start date changed', async () => {
    const repo = await makeWorkRepo();
    const early = makeSummary({ sessionId: 'resumed', startedAt: '2026-05-04T23:30:00.000Z' });
    const other = makeSummary();
    await writeSummaries(repo, [early, other]);
    const again = await writeSummaries(repo, [makeSummary({ sessionId: 'resumed', startedAt: '2026-05-04T23:30:00.000Z', output: 999 })]);
    expect(again.changed).toBe(true);
    const moved = makeSummary({ sessionId: 'resumed', startedAt: '2026-05-05T00:10:00.000Z', output: 999 });
    await writeSummaries(repo, [moved]);

    expect(summaryPath(moved)).not.toBe(summaryPath(early));
    expect(await branchFiles(repo)).toEqual([summaryPath(other), summaryPath(moved)].sort());
    expect(JSON.parse(await git(repo, ['show', `${DATA_REF}:${summaryPath(moved)}`]))).toEqual(moved);
  });

  it('makes no commit when the branch already holds exactly these summaries', async () => {
    const repo = await makeWorkRepo();
    const summary = makeSummary();
    const first = await writeSummaries(repo, [summary]);
    const second = await writeSummaries(repo, [summary]);
    expect(second).toEqual({ commit: first.commit, written: first.written, changed: false });
    expect(await commitCount(repo)).toBe(1);
  });

  it('writes the last of two summaries with the same id in one batch', async () => {
    const repo = await makeWorkRepo();
    const older = makeSummary({ sessionId: 'twice', startedAt: '2026-05-04T10:00:00.000Z' });
    const newer = makeSummary({ sessionId: 'twice', startedAt: '2026-05-06T10:00:00.000Z' });
    const { written } = await writeSummaries(repo, [older, newer]);
    expect(written).toEqual([summaryPath(newer)]);
    expect(await branchFiles(repo)).toEqual([summaryPath(newer)]);
  });

  it('keeps files outside sessions/ (such as an archive) untouched', async () => {
    const repo = await makeWorkRepo();
    await writeSummaries(repo, [makeSummary()]);
    const blob = await git(repo, ['hash-object', '-w', '--stdin'], { input: '{"archived":true}\n' });
    const tree = await git(repo, ['mktree'], { input: `040000 tree ${await git(repo, ['rev-parse', `${DATA_REF}:sessions`])}\tsessions\n040000 tree ${await git(repo, ['mktree'], { input: `100644 blob ${blob}\t2026-01.jsonl\n` })}\tarchive\n` });
    const tip = await git(repo, ['rev-parse', DATA_REF]);
    await git(repo, ['update-ref', DATA_REF, await git(repo, ['commit-tree', tree, '-p', tip, '-m', 'compact'])]);
    const next = makeSummary();
    await writeSummaries(repo, [next]);
    expect(await branchFiles(repo)).toContain('archive/2026-01.jsonl');
  });
});

describe('writeSummaries: refusals and failures', () => {
  it('rejects a summary that breaks the strict schema, naming it and the field, and writes nothing', async () => {
    const repo = await makeWorkRepo();
    const bad = { ...makeSummary(), prompt: 'fix the login bug' } as never;
    const error = await writeSummaries(repo, [makeSummary(), bad]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidSummaryError);
    expect((error as Error).message).toMatch(/^summary ses_[0-9a-f]+ is not a valid tokenledger\.session\/1: .*prompt/);
    expect(await git(repo, ['for-each-ref', DATA_REF])).toBe('');
  });

  it('refuses a short ref name, which update-ref would create outside refs/', async () => {
    const repo = await makeWorkRepo();
    await expect(writeSummaries(repo, [makeSummary()], { ref: 'token-data' })).rejects.toThrow(/full ref name/);
  });

  it('names the folder when it is not a git repository', async () => {
    const dir = path.dirname(await makeWorkRepo());
    const error = await writeSummaries(dir, [makeSummary()]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LedgerError);
    expect((error as Error).message).toContain(`cannot write ${DATA_REF} in ${dir}: `);
    expect((error as Error).message).toMatch(/not a git repository/);
  });

  it('fails cleanly when objects cannot be written (read-only .git/objects)', async (context) => {
    const repo = await makeWorkRepo();
    await writeSummaries(repo, [makeSummary()]);
    const tip = await git(repo, ['rev-parse', DATA_REF]);
    const objects = path.join(repo, '.git', 'objects');
    const lock = await makeObjectsReadOnly(objects);
    if (!lock) return context.skip('running as root and chattr +i is not available: cannot make .git/objects read-only');
    try {
      const before = await snapshotCheckout(repo);
      const error = await writeSummaries(repo, [makeSummary()]).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LedgerError);
      expect((error as Error).message).toContain(`cannot write ${DATA_REF} in ${repo}: `);
      expect(await git(repo, ['rev-parse', DATA_REF])).toBe(tip);
      expect(await snapshotCheckout(repo)).toEqual(before);
      expect(await leftoverScratch(repo)).toEqual([]);
    } finally {
      await lock.undo();
    }
  });

  it('gives up after bounded retries on a ref lock that never goes away, naming the ref', async () => {
    const repo = await makeWorkRepo();
    await writeSummaries(repo, [makeSummary()]);
    // A crashed writer's leftover lock: every compare-and-swap fails while it is there.
    await writeFile(path.join(repo, '.git', 'refs', 'heads', 'token-data.lock'), '');
    const started = Date.now();
    const error = await writeSummaries(repo, [makeSummary()]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LedgerError);
    expect((error as Error).message).toMatch(/cannot write refs\/heads\/token-data in .*: lost the compare-and-swap 20 times \(last: .*token-data\.lock/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await leftoverScratch(repo)).toEqual([]);
  });

  it('stops at timeoutMs', async () => {
    const repo = await makeWorkRepo();
    await writeSummaries(repo, [makeSummary()]);
    await writeFile(path.join(repo, '.git', 'refs', 'heads', 'token-data.lock'), '');
    const started = Date.now();
    await expect(writeSummaries(repo, [makeSummary()], { timeoutMs: 400 })).rejects.toThrow(/cannot write refs\/heads\/token-data in .*: timed out after 400 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

/**
 * Makes `.git/objects` unwritable: chmod for a normal user; as root (which chmod does not stop)
 * the immutable attribute, if the file system supports it. Undefined when neither works.
 */
async function makeObjectsReadOnly(objects: string): Promise<{ undo(): Promise<void> } | undefined> {
  if (process.getuid?.() !== 0) {
    await run('chmod', ['-R', 'a-w', objects]);
    return { undo: () => run('chmod', ['-R', 'u+w', objects]) };
  }
  try {
    await run('chattr', ['-R', '+i', objects]);
  } catch {
    return undefined;
  }
  return { undo: () => run('chattr', ['-R', '-i', objects]) };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

describe('writeSummaries: concurrent writers', () => {
  it('keeps all eight sessions when eight writes start at once in one process', async () => {
    const repo = await makeWorkRepo();
    const before = await snapshotCheckout(repo);
    const summaries = Array.from({ length: 8 }, () => makeSummary());
    const results = await Promise.all(summaries.map((summary) => writeSummaries(repo, [summary])));

    expect(results.every((result) => result.changed)).toBe(true);
    expect(await branchFiles(repo)).toEqual(summaries.map(summaryPath).sort());
    expect(await commitCount(repo)).toBe(8);
    expect(await snapshotCheckout(repo)).toEqual(before);
    expect(await leftoverScratch(repo)).toEqual([]);
  });

  it('keeps all eight sessions when eight processes write at the same moment', async () => {
    const repo = await makeWorkRepo();
    const before = await snapshotCheckout(repo);
    const summaries = Array.from({ length: 8 }, () => makeSummary());
    // Each process waits for a shared start time, so the writes overlap despite ~1 s of start-up.
    const startAt = Date.now() + 4_000;
    const script = [
      `import { writeSummaries } from ${JSON.stringify(path.join(ROOT, 'src/ledger/write.ts'))};`,
      `await new Promise((resolve) => setTimeout(resolve, Number(process.env.TL_START_AT) - Date.now()));`,
      `await writeSummaries(process.env.TL_REPO, [JSON.parse(process.env.TL_SUMMARY)]);`,
    ].join('\n');
    await Promise.all(
      summaries.map((summary) =>
        run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { ...process.env, TL_REPO: repo, TL_SUMMARY: JSON.stringify(summary), TL_START_AT: String(startAt) }),
      ),
    );

    expect(await branchFiles(repo)).toEqual(summaries.map(summaryPath).sort());
    expect(await commitCount(repo)).toBe(8);
    expect(await snapshotCheckout(repo)).toEqual(before);
  }, 60_000);
});
