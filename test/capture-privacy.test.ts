/**
 * Privacy over every real Claude Code transcript in ../shared/fixtures/real, not only a canary:
 * each session is summarized exactly as capture commits it (`prepareSummary`, with the context
 * of a repository whose developer is "Priv Ate" <priv.ate@example.com> on branch
 * `secret/branch-name`, with commits of theirs made during the sessions), and the summary must
 * hold no string of the session's files (prompts, responses, thinking, tool inputs and results,
 * cwd, gitBranch, paths, slugs, uuids, session ids) other than what a summary names on purpose
 * (its model ids, tool names, agent version and entrypoint), and no e-mail, user name, branch
 * name, repository path or commit message. The committed tree and commit objects of a real
 * capture are checked the same way in capture-e2e.test.ts.
 */
import { readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRepositoryContext, prepareSummary, type RepositoryContext } from '../src/capture/capture.js';
import { git } from '../src/ledger/git.js';
import { makeEmptyRepo, makeTempDir, removeSuiteTempDirs } from './helpers/git-repos.js';
import { arrangeClaudeProjects, hasRealFixtures, REAL_FIXTURES } from './helpers/real-fixtures.js';
import { independentCount } from './helpers/independent-count.js';
import { identifyingWords, leakedLeaves, MIN_LEAF_LENGTH, stringLeaves, summaryVocabulary, wordsFound } from './helpers/transcript-text.js';
import { summary } from './helpers/summaries.js';
import { buildPartial } from '../src/aggregate/index.js';
import { buildSite } from '../src/site/build.js';
import type { SessionSummary } from '../src/summary/schema.js';
import { ROOT } from './helpers/hook.js';

/** Every file of the site built from `summaries`, as one text (pages, data downloads, assets). */
async function buildSiteText(summaries: SessionSummary[], outDir: string): Promise<string> {
  const partial = buildPartial([{ repository: 'acme/app', dataRef: 'token-data', tip: null, summaries, invalidFiles: 0 }], { timezone: 'UTC', builtBy: 'test' });
  const latest = summaries.map((entry) => Date.parse(entry.endedAt)).reduce((a, b) => Math.max(a, b), 0);
  await buildSite(partial, [], { outDir, templatesDir: path.join(ROOT, 'site'), title: 'privacy', pathPrefix: '/', timezone: 'UTC', developers: 'pseudonymous', minGroupSize: 1, now: new Date(latest) });
  // Pages and data downloads: what is built from summaries (the assets are the repository's own files).
  const files = (await readdir(outDir, { recursive: true, encoding: 'utf8' })).filter((name) => /\.(?:html|csv|json)$/.test(name));
  return (await readAll(files.map((name) => path.join(outDir, name)))).join('\n');
}

const DEVELOPER = { name: 'Priv Ate', email: 'priv.ate@example.com' };
const BRANCH = 'secret/branch-name';
const COMMIT_MESSAGE = 'PRIVATE-COMMIT-MESSAGE about the secret plan';
const COMMITTED_FILE = 'private-folder/PRIVATE-FILE-NAME.txt';

const isMainTranscript = (file: string) => file.endsWith('.jsonl') && !path.basename(file).startsWith('agent-') && path.basename(path.dirname(file)) !== 'subagents';

/** Main transcripts of the fixtures, relative to claude-code/ (listed when the file loads, one test each). */
const FIXTURE_SESSIONS = hasRealFixtures
  ? readdirSync(path.join(REAL_FIXTURES, 'claude-code'), { recursive: true, encoding: 'utf8' }).filter(isMainTranscript).sort()
  : [];
if (!hasRealFixtures) console.warn(`skipping the privacy tests over real transcripts: ${REAL_FIXTURES} is absent`);

/**
 * The files whose text a summary of `transcript` could draw on: the transcript, everything in its
 * `<session>/` folder (nested subagents) and every flat `agent-*.jsonl` beside it. A superset of
 * what capture reads, found without the code under test.
 */
async function sessionFiles(transcript: string): Promise<{ own: string[]; flat: string[] }> {
  const dir = path.dirname(transcript);
  const nested = path.join(dir, path.basename(transcript, '.jsonl'));
  const inFolder = (await readdir(nested, { recursive: true, encoding: 'utf8' }).catch(() => [] as string[])).filter((name) => name.endsWith('.jsonl')).map((name) => path.join(nested, name));
  // Flat subagent files may belong to this session or to another one of the same folder.
  const flat = (await readdir(dir)).filter((name) => name.startsWith('agent-') && name.endsWith('.jsonl')).map((name) => path.join(dir, name));
  return { own: [transcript, ...inFolder], flat };
}

const readAll = (files: string[]) => Promise.all(files.map((file) => readFile(file, 'utf8')));

/** Epoch-ms range of the timestamps in `texts`, or undefined without any. */
function timeRange(texts: string[]): { start: number; end: number } | undefined {
  const times = texts.flatMap((text) => [...text.matchAll(/"timestamp":"([^"]+)"/g)].map((match) => Date.parse(match[1]!))).filter(Number.isFinite);
  return times.length > 0 ? { start: Math.min(...times), end: Math.max(...times) } : undefined;
}

describe.skipIf(!hasRealFixtures)('privacy of the summary of every real fixture transcript', () => {
  let configDir: string;
  let repo: string;
  let context: RepositoryContext;
  const committedDuring = new Set<string>();
  const captured: { summary: SessionSummary; texts: string[] }[] = [];

  beforeAll(async () => {
    configDir = await arrangeClaudeProjects(await makeTempDir('tl-privacy-'));
    repo = await makeEmptyRepo();
    await git(repo, ['config', 'user.name', DEVELOPER.name]);
    await git(repo, ['config', 'user.email', DEVELOPER.email]);
    await writeFile(path.join(repo, 'README.md'), '# private project\n');
    await git(repo, ['add', 'README.md']);
    await git(repo, ['commit', '-q', '-m', 'first'], { env: { GIT_AUTHOR_DATE: '2020-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2020-01-01T00:00:00Z' } });
    await git(repo, ['checkout', '-q', '-b', BRANCH]);
    // A commit of the developer's in the middle of every session, oldest first, so summaries list
    // commits and the test can show their messages and paths stay out.
    const middles: number[] = [];
    for (const relative of FIXTURE_SESSIONS) {
      const transcript = path.join(REAL_FIXTURES, 'claude-code', relative);
      const range = timeRange(await readAll((await sessionFiles(transcript)).own));
      if (range) middles.push(Math.round((range.start + range.end) / 2 / 1000) * 1000);
    }
    await mkdir(path.join(repo, path.dirname(COMMITTED_FILE)));
    for (const [i, middle] of [...new Set(middles)].sort((a, b) => a - b).entries()) {
      await writeFile(path.join(repo, COMMITTED_FILE), `secret line ${i}\n`);
      await git(repo, ['add', COMMITTED_FILE]);
      const date = new Date(middle).toISOString();
      await git(repo, ['commit', '-q', '-m', `${COMMIT_MESSAGE} ${i}`], { env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
    }
    context = await loadRepositoryContext(repo, { TOKENLEDGER_KEY: 'privacy-test-key' });
    expect(context.email).toBe(DEVELOPER.email);
  }, 60_000);

  afterAll(async () => {
    await removeSuiteTempDirs();
  });

  it('finds the real transcripts, with subagents', () => {
    expect(FIXTURE_SESSIONS.length).toBeGreaterThan(30);
  });

  it.each(FIXTURE_SESSIONS)('%s: its summary holds no text of the session and nothing identifying', async (relative) => {
    // The copy arranged for this run (projects/<source>__<project>/…), not the published file.
    const [source, ...rest] = relative.split(path.sep);
    const project = `${source}__${rest.slice(0, -1).join('_')}`.replace(/[^A-Za-z0-9_.-]/g, '-');
    const transcript = path.join(configDir, 'projects', project, rest.at(-1)!);
    const files = await sessionFiles(transcript);
    const own = await readAll(files.own);
    const texts = [...own, ...(await readAll(files.flat))];

    const summary = await prepareSummary(transcript, context, 'hook');
    if (!summary) {
      // Nothing billed (a file of titles only, or warm-up lines of other sessions): nothing is committed, nothing can leak.
      expect(independentCount(own).total).toBe(0);
      return;
    }
    expect(summary.tokens.total).toBeGreaterThan(0);
    const committed = JSON.stringify(summary, null, 2);
    expect(leakedLeaves(stringLeaves(texts), committed, summaryVocabulary([summary]))).toEqual([]);
    expect(wordsFound(identifyingWords(texts), committed)).toEqual([]);
    for (const secret of [DEVELOPER.email, DEVELOPER.name, 'priv.ate', BRANCH, 'branch-name', repo, path.basename(path.dirname(repo)), COMMIT_MESSAGE.slice(0, 22), COMMITTED_FILE, 'PRIVATE-FILE-NAME', 'private-folder']) {
      expect(committed).not.toContain(secret);
    }
    // Developer and branch are keyed hashes, never the e-mail or the name.
    expect(summary.developer).toMatch(/^dev_[0-9a-f]{12}$/);
    if (summary.branch !== null) expect(summary.branch).toMatch(/^br_[0-9a-f]{12}$/);
    for (const commit of summary.commits) committedDuring.add(commit.sha);
    captured.push({ summary, texts });
  });

  it('catches a leak when there is one: a cwd, the start of a prompt or a user name planted in a real summary', async () => {
    const relative = FIXTURE_SESSIONS.find((file) => file.includes('dd1cfa99-253c-42ba-aa15-0fcda8a60cb4')) ?? FIXTURE_SESSIONS[0]!;
    const [source, ...rest] = relative.split(path.sep);
    const transcript = path.join(configDir, 'projects', `${source}__${rest.slice(0, -1).join('_')}`.replace(/[^A-Za-z0-9_.-]/g, '-'), rest.at(-1)!);
    const texts = await readAll((await sessionFiles(transcript)).own);
    const summary = (await prepareSummary(transcript, context, 'hook'))!;
    const lines = texts.join('\n').split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const cwd = lines.find((line) => line.cwd)!.cwd as string;
    const prompt = lines.find((line) => line.type === 'user' && typeof line.message?.content === 'string')!.message.content as string;
    const word = [...identifyingWords(texts)][0]!;
    const vocabulary = summaryVocabulary([summary]);
    expect(leakedLeaves(stringLeaves(texts), JSON.stringify({ ...summary, branch: cwd }), vocabulary)).toContain(cwd);
    expect(leakedLeaves(stringLeaves(texts), JSON.stringify({ ...summary, category: `x${prompt.slice(0, 30)}x` }), vocabulary).length).toBeGreaterThan(0);
    expect(wordsFound(identifyingWords(texts), JSON.stringify({ ...summary, branch: word }))).toContain(word);
  });

  it('the site built from all of them holds no text of the sessions and nothing identifying', { timeout: 120_000 }, async () => {
    expect(captured.length).toBeGreaterThan(30);
    const summaries = captured.map((entry) => entry.summary);
    const site = await buildSiteText(summaries, await makeTempDir('tl-privacy-site-'));
    // The site's own words (headings, labels, month names) from a site of neutral summaries.
    const neutral = await buildSiteText([summary({ session: 'neutral', models: [{ model: 'claude-sonnet-4-6' }] })], await makeTempDir('tl-privacy-neutral-'));
    const siteWords = new Set(neutral.match(/[\p{L}\p{N}_-]+/gu) ?? []);
    const allowed = summaryVocabulary(summaries);
    let masked = site;
    for (const word of [...allowed].sort((a, b) => b.length - a.length)) masked = masked.replaceAll(word, ' ');
    // Whole words only: `thinking` inside the model id `longcat-flash-thinking-…` is the model's name.
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const leaked = [...stringLeaves(captured.flatMap((entry) => entry.texts))]
      .filter((leaf) => leaf.length >= MIN_LEAF_LENGTH && /[\p{L}\p{N}]/u.test(leaf) && !allowed.has(leaf) && !siteWords.has(leaf))
      .filter((leaf) => new RegExp(leaf.length > 24 ? `(?<![\\w-])${escape(leaf.slice(0, 24))}` : `(?<![\\w-])${escape(leaf)}(?![\\w-])`).test(masked));
    expect(leaked).toEqual([]);
    // Branch names such as `main` are also words of the site itself (`<main>`, "Main thread").
    const identifying = [...identifyingWords(captured.flatMap((entry) => entry.texts))].filter((word) => !siteWords.has(word));
    expect(identifying.length).toBeGreaterThan(0);
    expect(wordsFound(identifying, masked)).toEqual([]);
    for (const secret of [DEVELOPER.email, DEVELOPER.name, 'priv.ate', BRANCH, 'branch-name', repo, COMMIT_MESSAGE.slice(0, 22), COMMITTED_FILE, 'PRIVATE-FILE-NAME']) expect(site).not.toContain(secret);
    expect(site).not.toMatch(/\/(?:Users|home)\/[A-Za-z]/);
    expect(site).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    // Developers appear as distributions only: no pseudonymous id either.
    expect(site).not.toMatch(/dev_[0-9a-f]{12}/);
  });

  it('had commits of the developer in the summaries it checked', () => {
    // Otherwise the commit-message check above proved nothing.
    expect(committedDuring.size).toBeGreaterThan(10);
  });
});
