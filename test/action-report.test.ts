/**
 * The Action's `report` command end to end, run the way GitHub runs it: `node dist/index.mjs` as a
 * child process with the inputs as `INPUT_*` variables (hyphens kept, as the runner sets them),
 * `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` and `GITHUB_EVENT_PATH` pointing at files, and nothing
 * else from this process's environment. The three repositories it reads are bare remotes filled
 * by the real SessionEnd hook; one gets a planted invalid file with a hostile name, another a
 * `Token-Strategy` trailer on its default branch. The same three repositories, split into two
 * shards run with `partial` and joined with `merge`, must publish what one `report` publishes.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partialSchema } from '../src/aggregate/index.js';
import { writePartialFile } from '../src/aggregate/partial-file.js';
import { buildDemoPartial, generateDemoTeam } from '../fixtures/demo-team/generate.js';
import { isoWeek } from '../src/dates.js';
import { git } from '../src/ledger/git.js';
import type { SessionSummary } from '../src/summary/schema.js';
import { cloneWorkRepo, makeRemote, makeTempDir, removeSuiteTempDirs } from './helpers/git-repos.js';
import { branchSummaries, remoteTip, ROOT, run, sessionEndInput, sessionIdFor, tipOf, useMachines, waitForRemoteSessions, writeSession, type WrittenSession } from './helpers/hook.js';

const suite = useMachines();
const TOKEN = 'ghs_e2e-never-printed';
/** Not a session path, not JSON, and markup if it ever reached the summary unescaped. */
const HOSTILE_FILE = 'sessions/2026/05/04/<img src=x onerror=alert(1)>.json';

/** The day `daysAgo` days before today (UTC), at 00:00:05: inside today's ISO week when daysAgo is 0. */
function dayStart(daysAgo: number): string {
  const today = new Date().toISOString().slice(0, 10);
  return new Date(Date.parse(`${today}T00:00:05.000Z`) - daysAgo * 86_400_000).toISOString();
}

/** Adds one file to the clone's data branch with plumbing (a private index) and pushes it. */
async function plantFile(repo: string, file: string, content: string): Promise<void> {
  const tip = await tipOf(repo);
  const index = path.join(await makeTempDir('tl-index-'), 'index');
  const env = { GIT_INDEX_FILE: index };
  await git(repo, ['read-tree', tip!], { env });
  const blob = await git(repo, ['hash-object', '-w', '--stdin'], { input: content });
  await git(repo, ['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`], { env });
  const tree = await git(repo, ['write-tree'], { env });
  const commit = await git(repo, ['commit-tree', tree, '-p', tip!, '-m', 'a file that is not a summary']);
  await git(repo, ['push', '-q', 'origin', `${commit}:refs/heads/token-data`]);
}

/** `name<<delimiter\nvalue\ndelimiter` records of a GITHUB_OUTPUT file. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}

interface Repositories {
  remotes: string[];
  /** The valid summaries, read with plain git (not with the code under test) before the plant. */
  valid: SessionSummary[];
}

// Filled once for the file's tests (the hook runs are the slow part; the actions only read them).
let filled: Repositories | undefined;
beforeAll(async () => {
  filled = await fillRepositories();
}, 120_000);
afterAll(() => removeSuiteTempDirs());

function threeRepositories(): Repositories {
  if (filled === undefined) throw new Error('the repositories are filled in beforeAll');
  return filled;
}

async function fillRepositories(): Promise<Repositories> {
    const machine = await suite.machineFor();
    // Per repository: when its sessions started (days ago). Two this week, some last week.
    const plan = [[0, 0, 7], [0, 8], [9]];
    const remotes: string[] = [];
    const written: WrittenSession[] = [];
    // The valid summaries, read with plain git (not with the code under test) before the plant.
    const valid: SessionSummary[] = [];
    for (const [r, days] of plan.entries()) {
      const remote = await makeRemote();
      const repo = await cloneWorkRepo(remote);
      const sessions: WrittenSession[] = [];
      for (const [i, daysAgo] of days.entries()) {
        sessions.push(await writeSession(machine.projectFolder(repo), { sessionId: sessionIdFor(i, `repo${r}`), cwd: repo, seed: 10 * r + i + 1, startedAt: dayStart(daysAgo) }));
      }
      const env = { ...machine.env, CLAUDE_PROJECT_DIR: repo };
      for (const session of sessions) {
        const hooked = await machine.hook(suite.commands.SessionEnd, sessionEndInput({ sessionId: session.sessionId, transcript: session.transcript, cwd: repo }), { cwd: repo, env });
        expect([hooked.code, hooked.stderr]).toEqual([0, '']);
      }
      await waitForRemoteSessions(remote, sessions.length, 20_000);
      await machine.settle();
      expect(await remoteTip(remote)).toBe(await tipOf(repo));
      valid.push(...(await branchSummaries(remote)).values());
      if (r === 1) await plantFile(repo, HOSTILE_FILE, '{"not": "a summary"');
      if (r === 0) {
        // Starts now, after this repository's sessions: they are its BEFORE window, AFTER is empty.
        await git(repo, ['commit', '-q', '--allow-empty', '-m', 'Index first\n\nToken-Strategy: index-first']);
        await git(repo, ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
      }
      remotes.push(remote);
      written.push(...sessions);
    }
    expect(valid.map((summary) => summary.tokens.total).sort()).toEqual(written.map((session) => session.total).sort());

  return { remotes, valid };
}

interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  siteDir: string;
}

/** Runs dist/index.mjs as the runner does, in a workspace of its own, with `inputs` as INPUT_*. */
async function runAction(inputs: Record<string, string>, extraEnv: NodeJS.ProcessEnv = {}): Promise<ActionRun> {
  const dir = await makeTempDir('tl-runner-');
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md'), event: path.join(dir, 'event.json'), siteDir: path.join(dir, 'workspace', 'public') };
  await mkdir(path.join(dir, 'workspace'));
  await mkdir(path.join(dir, 'temp'));
  await mkdir(path.join(dir, 'home'));
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  await writeFile(files.event, JSON.stringify({ schedule: '17 3 * * *', repository: { full_name: 'acme/app' }, workflow: '.github/workflows/tokenledger.yml' }));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: path.join(dir, 'home'),
    GIT_CONFIG_NOSYSTEM: '1',
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_WORKSPACE: path.join(dir, 'workspace'),
    RUNNER_TEMP: path.join(dir, 'temp'),
    ...extraEnv,
  };
  const action = await run(process.execPath, [path.join(ROOT, 'dist/index.mjs')], { cwd: path.join(dir, 'workspace'), env });
  expect(action.code, action.stdout + action.stderr).toBe(0);
  expect(action.stdout).not.toContain('::error');
  return { code: action.code, stdout: action.stdout, outputs: parseOutputs(await readFile(files.output, 'utf8')), summary: await readFile(files.summary, 'utf8'), siteDir: files.siteDir };
}

async function readPartial(run: ActionRun) {
  return partialSchema.parse(JSON.parse(await readFile(run.outputs['partial-file']!, 'utf8')));
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('the report command, as GitHub runs dist/index.mjs', () => {
  it('aggregates three hook-filled repositories, warns once about the invalid file and writes the site data', { timeout: 120_000 }, async () => {
    const { remotes, valid } = threeRepositories();
    const action = await runAction({
      command: 'report',
      repositories: remotes.join('\n'),
      token: TOKEN,
      'data-branch': 'token-data',
      'site-dir': 'public',
      'min-sessions': '20',
      timezone: 'UTC',
      developers: '',
    });
    const files = { siteDir: action.siteDir };
    const outputs = action.outputs;
    expect(outputs).toEqual({ 'site-dir': files.siteDir, sessions: String(valid.length), 'invalid-files': '1', 'partial-file': path.join(path.dirname(files.siteDir), 'tokenledger-partial.json') });

    const warnings = action.stdout.split('\n').filter((line) => line.startsWith('::warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`file=${HOSTILE_FILE}`);
    expect(warnings[0]).toContain(remotes[1]!);
    // The token is handed to the runner's masking once and appears nowhere else.
    expect(action.stdout.split('\n').filter((line) => line.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);

    const partial = await readPartial(action);
    expect(partial.sessions).toHaveLength(valid.length);
    expect(sum(partial.sessions.map((row) => row.tokens.total))).toBe(sum(valid.map((summary) => summary.tokens.total)));
    expect(sum(partial.daily.map((row) => row.tokens.total))).toBe(sum(valid.map((summary) => summary.tokens.total)));
    const invalidBySource = Object.fromEntries(partial.sources.map((source) => [source.repository, source.invalidFiles]));
    expect(invalidBySource).toEqual(Object.fromEntries(remotes.map((remote, r) => [remote, r === 1 ? 1 : 0])));

    const summary = action.summary;
    const today = new Date().toISOString().slice(0, 10);
    expect(summary).toContain(`week ${isoWeek(today)}`);
    const thisWeek = valid.filter((entry) => isoWeek(entry.startedAt.slice(0, 10)) === isoWeek(today));
    const overallRow = summary.split('\n').find((line) => line.includes('All repositories'));
    expect(overallRow).toContain(`<td>${sum(thisWeek.map((entry) => entry.tokens.total)).toLocaleString('en-US')} `);
    // Agent is a dimension of the summary too (all of these sessions are Claude Code's).
    if (thisWeek.length > 0) expect(summary).toContain(`By agent, week ${isoWeek(today)}: claude-code ${sum(thisWeek.map((entry) => entry.tokens.total)).toLocaleString('en-US')} tokens`);
    else expect(summary).toContain(`By agent, week ${isoWeek(today)}: no sessions yet.`);
    expect(summary).toContain('&#60;img src=x onerror=alert&#40;1&#41;&#62;');
    expect(summary).not.toContain('<img');

    // The experiment is listed, judged honestly: three sessions before and none after are not enough.
    const experimentRows = summary.split('\n').filter((line) => line.includes('<td>index-first</td>'));
    expect(experimentRows).toHaveLength(2);
    for (const row of experimentRows) expect(row).toContain('insufficient data');
    expect(experimentRows[0]).toContain('<td>3 / 0</td>');
    expect(summary).toContain('observational');
    const experiments = JSON.parse(await readFile(path.join(files.siteDir, 'data', 'experiments.json'), 'utf8'));
    expect(experiments.experiments.map((experiment: { slug: string }) => experiment.slug)).toEqual(['index-first']);

    // The site is in site-dir, built from the same aggregate; the partial (developer ids, per-session rows) is not.
    const home = await readFile(path.join(files.siteDir, 'index.html'), 'utf8');
    expect(home).toContain(`${valid.length.toLocaleString('en-US')} sessions`);
    for (const remote of remotes) expect(home + (await readFile(path.join(files.siteDir, 'repositories', 'index.html'), 'utf8'))).toContain(remote);
    expect(await readFile(path.join(files.siteDir, 'strategies', 'index-first', 'index.html'), 'utf8')).toContain('insufficient data');
    const [header, ...rows] = (await readFile(path.join(files.siteDir, 'data', 'daily.csv'), 'utf8')).trim().split('\r\n');
    // Counted from the end: a repository (a path here) may be quoted and hold commas.
    const fromEnd = header!.split(',').indexOf('total') - header!.split(',').length;
    expect(sum(rows.map((line) => Number(line.split(',').at(fromEnd))))).toBe(sum(valid.map((summary) => summary.tokens.total)));
    expect(existsSync(path.join(files.siteDir, 'data', 'partial.json'))).toBe(false);
    expect(await readFile(path.join(files.siteDir, 'index.html'), 'utf8')).not.toMatch(/dev_[0-9a-f]{12}/);
  });
  it('publishes from two shards run with partial and joined with merge exactly what one report publishes', { timeout: 120_000 }, async () => {
    const { remotes, valid } = threeRepositories();
    const common = { token: TOKEN, timezone: 'UTC', 'site-dir': 'public' };
    const report = await runAction({ ...common, command: 'report', repositories: remotes.join('\n') });

    // Where actions/download-artifact would put each shard's artifact: a folder per artifact.
    const artifacts = await makeTempDir('tl-artifacts-');
    const shards = [remotes.slice(0, 2), remotes.slice(2)];
    const shardRuns: ActionRun[] = [];
    for (const [n, shard] of shards.entries()) {
      const file = path.join(artifacts, `partial-${n}`, 'tokenledger-partial.json');
      const shardRun = await runAction({ ...common, command: 'partial', repositories: shard.join('\n'), 'partial-file': file });
      expect(shardRun.outputs['partial-file']).toBe(file);
      shardRuns.push(shardRun);
    }
    // The invalid file is in the first shard: warned about there, once, and counted in its output.
    expect(shardRuns.map((shardRun) => shardRun.stdout.split('\n').filter((line) => line.startsWith('::warning')).length)).toEqual([1, 0]);
    expect(shardRuns.map((shardRun) => shardRun.outputs['invalid-files'])).toEqual(['1', '0']);
    expect(sum(shardRuns.map((shardRun) => Number(shardRun.outputs.sessions)))).toBe(valid.length);

    const merge = await runAction({ ...common, command: 'merge', partials: `${artifacts}/*/tokenledger-partial.json` });
    expect(merge.outputs).toEqual({ 'site-dir': merge.siteDir, sessions: String(valid.length), 'invalid-files': '1', 'partial-file': path.join(path.dirname(merge.siteDir), 'tokenledger-partial.json') });
    expect({ ...merge.outputs, 'site-dir': '', 'partial-file': '' }).toEqual({ ...report.outputs, 'site-dir': '', 'partial-file': '' });

    const merged = await readPartial(merge);
    expect(sum(merged.sessions.map((row) => row.tokens.total))).toBe(sum(valid.map((summary) => summary.tokens.total)));
    expect(merged).toEqual(await readPartial(report));
    // Experiments are judged from the strategy events the shards stored: the same as the report's.
    const experiments = async (siteDir: string) => JSON.parse(await readFile(path.join(siteDir, 'data', 'experiments.json'), 'utf8')).experiments;
    expect(await experiments(merge.siteDir)).toEqual(await experiments(report.siteDir));
    expect((await experiments(merge.siteDir)).map((experiment: { slug: string }) => experiment.slug)).toEqual(['index-first']);

    // The job summary: the same week table and experiments; only the invalid file's path is the
    // shard's to name (a partial keeps counts).
    const section = (summary: string, from: string) => summary.slice(summary.indexOf(from));
    const table = (summary: string) => summary.slice(summary.indexOf('<table>'), summary.indexOf('</table>'));
    expect(table(merge.summary)).toBe(table(report.summary));
    expect(section(merge.summary, '### Strategy experiments')).toBe(section(report.summary, '### Strategy experiments'));
    expect(merge.summary).toContain('1 invalid files skipped');
    expect(merge.summary).toContain('- 1 more, named in the warnings of the run that read them');
  });
  it('draws the same site with chart workers as on one thread (the bundle runs itself as the worker)', { timeout: 180_000 }, async () => {
    // The demo team's partial has enough charts (~160) for two workers.
    const dir = await makeTempDir('tl-action-workers-');
    const partialFile = path.join(dir, 'demo-partial.json');
    await writePartialFile(partialFile, buildDemoPartial(generateDemoTeam(), { timezone: 'UTC', builtBy: '0.1.0' }));
    const site = async (threads: string) => {
      const action = await runAction({ command: 'merge', partials: partialFile, 'site-dir': 'public' }, { TOKENLEDGER_THREADS: threads });
      const pages = (await readdir(action.siteDir, { recursive: true, encoding: 'utf8' })).filter((name) => name.endsWith('.html')).sort();
      // The footer names the build time, the one thing two runs do not share.
      return Promise.all(pages.map(async (name) => [name, (await readFile(path.join(action.siteDir, name), 'utf8')).replace(/Built [0-9T:.-]+Z;/, 'Built …;')] as const));
    };
    const [one, two] = [await site('1'), await site('2')];
    expect(one.length).toBeGreaterThan(50);
    expect(two).toEqual(one);
    expect(one.find(([name]) => name === 'index.html')![1]).toMatch(/<svg[^>]*class="marks"/);
  });
});
