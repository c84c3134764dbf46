/**
 * End to end: the built CLI (`bin/tokenledger.js`) run as a child process over a small transcript
 * tree written here, with a pinned environment (no real home, cache, Codex folder or colour).
 *
 * The tree (CLAUDE_CONFIG_DIR/projects/):
 *   -home-dev-app/<S1>.jsonl                           main session S1
 *     1 prompt 10:00:00Z (turn 1)
 *     2-4 R1 opus-4-6, 3 snapshot lines (thinking, text, Bash `npm test`), output 1 -> 5 -> 300
 *     5 tool result
 *     6 R2 opus-4-6 (text), no tools: takes its turn's phase (testing)
 *     7 malformed (truncated) line
 *     8 <synthetic> notice (bills nothing)
 *   -home-dev-app/<S1>/subagents/agent-a1b2c3d4.jsonl  nested subagent of S1
 *     1 prompt, 2 R3 haiku-4-5 (Read)
 *   -home-dev-app/agent-9f8e7d6c.jsonl                 flat subagent of another session S2
 *     1 R4 sonnet-4-5 at 23:30Z (the next day in Tokyo)
 *   -home-dev-old/<S3>.jsonl                           an old session, file last written 2026-01-10
 *     1 R5 opus-4-6
 *
 * Hand count (tokens: input / output / cache write 5m / cache write 1h / cache read = total):
 *   R1 10 / 300 / 1000 / 2000 / 50000 = 53310   $ (50 + 7500 + 6250 + 20000 + 25000) / 1e6 = 0.0588
 *   R2  5 / 120 /    0 /    0 / 53000 = 53125   $ (25 + 3000 + 26500) / 1e6               = 0.029525
 *   R3 200 / 40 / 3000 /    0 /     0 =  3240   $ (200 + 200 + 3750) / 1e6 (haiku 1/5/1.25) = 0.00415
 *   R4  7 /  11 /    0 /    0 /  1000 =  1018   $ (21 + 165 + 300) / 1e6 (sonnet 3/15/0.3)  = 0.000486
 *   R5 1000 / 100 /  0 /    0 /     0 =  1100   $ (5000 + 2500) / 1e6                     = 0.0075
 *   all  1222 / 571 / 4000 / 2000 / 104000 = 111793, $0.100461
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_KINDS } from '../src/report/usage-report.js';
import { ensureBuilt, run, type Run } from './helpers/process.js';
import { appendTranscript, assistantLines, syntheticLine, toolResult, userPrompt, writeTranscript } from './helpers/transcripts.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/tokenledger.js');

const S1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';
const S3 = '33333333-3333-4333-8333-333333333333';

/** Free text planted in every place a transcript holds it; none may reach a summary. */
const CANARY = {
  prompt: 'CANARY-PROMPT-7f3a please fix the login bug',
  thinking: 'CANARY-THINKING-1c9e',
  text: 'CANARY-TEXT-5b2d',
  command: 'CANARY-COMMAND-8e41',
  result: 'CANARY-RESULT-44aa all tests passed',
  subPrompt: 'CANARY-SUBAGENT-PROMPT-0d0d',
  filePath: '/home/dev/app/CANARY-FILE-9a9a.ts',
  cwd: '/home/dev/CANARY-CWD-3c3c',
  branch: 'CANARY-BRANCH-6e6e',
  synthetic: 'CANARY-SYNTHETIC-2f2f',
};

const ALL = { inputTokens: 1222, outputTokens: 571, cacheCreation5mTokens: 4000, cacheCreation1hTokens: 2000, cacheCreationTokens: 6000, cacheReadTokens: 104000, totalTokens: 111793 };
const COST_ALL = 0.100461;
/** Without the old session S3 (R5: 1000 input, 100 output, $0.0075). */
const RECENT = { inputTokens: 222, outputTokens: 471, cacheCreation5mTokens: 4000, cacheCreation1hTokens: 2000, cacheCreationTokens: 6000, cacheReadTokens: 104000, totalTokens: 110693 };

interface Tree {
  config: string;
  main: string;
  nested: string;
  flat: string;
  old: string;
}

/** Writes the tree described at the top into `<root>/claude`; mtimes are the last line's time. */
async function writeTree(root: string): Promise<Tree> {
  const config = path.join(root, 'claude');
  const projects = path.join(config, 'projects');
  const s1 = { sessionId: S1, cwd: CANARY.cwd, gitBranch: CANARY.branch, version: '2.1.114', entrypoint: 'cli' };
  const main = await writeTranscript(
    projects,
    `-home-dev-app/${S1}.jsonl`,
    [
      userPrompt({ ...s1, timestamp: '2026-05-04T10:00:00.000Z', text: CANARY.prompt }),
      ...assistantLines({
        ...s1,
        timestamp: '2026-05-04T10:00:05.000Z',
        messageId: 'msg_01R1',
        requestId: 'req_01R1',
        model: 'claude-opus-4-6',
        usage: { input: 10, output: 300, cacheWrite5m: 1000, cacheWrite1h: 2000, cacheRead: 50000 },
        partialOutputs: [1, 5],
        blocks: [
          { type: 'thinking', thinking: CANARY.thinking },
          { type: 'text', text: CANARY.text },
          { type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: `npm test -- ${CANARY.command}`, description: CANARY.text } },
        ],
      }),
      toolResult({ ...s1, timestamp: '2026-05-04T10:00:30.000Z', toolUseId: 'toolu_01', content: CANARY.result }),
      ...assistantLines({
        ...s1,
        timestamp: '2026-05-04T10:01:00.000Z',
        messageId: 'msg_01R2',
        requestId: 'req_01R2',
        usage: { input: 5, output: 120, cacheRead: 53000 },
        blocks: [{ type: 'text', text: CANARY.text }],
      }),
      '{"type":"assistant","message":{"id":"msg_01TRUNC","usage":{"input_tokens":99',
      syntheticLine({ ...s1, timestamp: '2026-05-04T10:01:30.000Z', text: CANARY.synthetic }),
    ],
    '2026-05-04T10:01:30.000Z',
  );
  const sub = { sessionId: S1, agentId: 'a1b2c3d4', cwd: CANARY.cwd, gitBranch: CANARY.branch };
  const nested = await writeTranscript(
    projects,
    `-home-dev-app/${S1}/subagents/agent-a1b2c3d4.jsonl`,
    [
      userPrompt({ ...sub, timestamp: '2026-05-04T10:00:10.000Z', text: CANARY.subPrompt }),
      ...assistantLines({
        ...sub,
        timestamp: '2026-05-04T10:00:20.000Z',
        messageId: 'msg_01R3',
        requestId: 'req_01R3',
        model: 'claude-haiku-4-5-20251001',
        usage: { input: 200, output: 40, cacheWrite5m: 3000 },
        blocks: [{ type: 'tool_use', id: 'toolu_02', name: 'Read', input: { file_path: CANARY.filePath } }],
      }),
    ],
    '2026-05-04T10:00:20.000Z',
  );
  const flat = await writeTranscript(
    projects,
    '-home-dev-app/agent-9f8e7d6c.jsonl',
    assistantLines({
      sessionId: S2,
      agentId: '9f8e7d6c',
      timestamp: '2026-05-04T23:30:00.000Z',
      messageId: 'msg_01R4',
      requestId: 'req_01R4',
      model: 'claude-sonnet-4-5-20250929',
      usage: { input: 7, output: 11, cacheRead: 1000 },
      blocks: [{ type: 'text', text: 'done' }],
    }),
    '2026-05-04T23:30:00.000Z',
  );
  const old = await writeTranscript(
    projects,
    `-home-dev-old/${S3}.jsonl`,
    assistantLines({
      sessionId: S3,
      timestamp: '2026-01-10T12:00:00.000Z',
      messageId: 'msg_01R5',
      requestId: 'req_01R5',
      usage: { input: 1000, output: 100 },
      blocks: [{ type: 'text', text: 'old' }],
    }),
    '2026-01-10T12:00:00.000Z',
  );
  return { config, main, nested, flat, old };
}

let temp: string;
let tree: Tree;
let baseEnv: NodeJS.ProcessEnv;

/** An environment that shares nothing with the machine running the tests. */
async function pinnedEnv(root: string, config: string): Promise<NodeJS.ProcessEnv> {
  const dirs = { HOME: path.join(root, 'home'), XDG_CACHE_HOME: path.join(root, 'cache'), CODEX_HOME: path.join(root, 'codex') };
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  return { PATH: process.env.PATH, ...dirs, CLAUDE_CONFIG_DIR: config, TZ: 'UTC', NO_COLOR: '1' };
}

function cli(args: string[], env: NodeJS.ProcessEnv = baseEnv): Promise<Run> {
  return run(process.execPath, [BIN, ...args], { env, cwd: temp });
}

/** Runs `report <kind> --json …`, expecting success, and returns the parsed report. */
async function reportJson(kind: string, args: string[] = [], env?: NodeJS.ProcessEnv): Promise<any> {
  const run = await cli(['report', kind, '--json', ...args], env);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

function pickTotals(totals: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(ALL).map((key) => [key, totals[key]]));
}

beforeAll(async () => {
  await ensureBuilt();
  temp = await mkdtemp(path.join(tmpdir(), 'tokenledger-cli-'));
  tree = await writeTree(temp);
  baseEnv = await pinnedEnv(temp, tree.config);
}, 120_000);

afterAll(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

describe('tokenledger report', () => {
  it('counts every response once, subagents included, as counted by hand', async () => {
    const report = await reportJson('daily');
    expect(pickTotals(report.totals)).toEqual(ALL);
    expect(report.totals.costUSD).toBeCloseTo(COST_ALL, 9);
    expect(report.totals.requests).toBe(5);
    expect(report.totals.unpricedModels).toEqual([]);
    expect(report.timezone).toBe('UTC');
  });

  it('reports what reading saw: files, lines, duplicates, the malformed and the synthetic line', async () => {
    const report = await reportJson('daily');
    // 8 + 2 + 1 + 1 lines; R1's three snapshots are one response and two duplicates.
    expect(report.diagnostics).toEqual({ filesRead: 4, lines: 12, responses: 5, duplicateLines: 2, malformedLines: 1, skippedLines: 1 });
  });

  it('names the file and line of a malformed line on stderr, and still exits 0', async () => {
    const run = await cli(['report', 'daily', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`warning: ${tree.main}:7: `);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reads only the chosen agent', async () => {
    const claude = await reportJson('daily', ['--agent', 'claude']);
    const claudeCode = await reportJson('daily', ['--agent', 'claude-code']);
    const all = await reportJson('daily', ['--agent', 'all']);
    const codex = await reportJson('daily', ['--agent', 'codex']);
    expect(pickTotals(claude.totals)).toEqual(ALL);
    expect(claudeCode).toEqual(claude);
    expect(all).toEqual(claude);
    // CODEX_HOME is an empty folder: nothing read, nothing counted.
    expect(codex.rows).toEqual([]);
    expect(codex.totals.totalTokens).toBe(0);
    expect(codex.diagnostics.filesRead).toBe(0);
  });

  it('filters by --since and --until, inclusive', async () => {
    const may4 = await reportJson('daily', ['--since', '2026-05-04', '--until', '2026-05-04']);
    expect(pickTotals(may4.totals)).toEqual(RECENT);
    expect([may4.since, may4.until]).toEqual(['2026-05-04', '2026-05-04']);
    const january = await reportJson('daily', ['--until', '2026-01-31']);
    expect(january.totals.totalTokens).toBe(1100);
    expect(january.rows.map((row: any) => row.date)).toEqual(['2026-01-10']);
    const none = await reportJson('daily', ['--since', '2026-05-05', '--until', '2026-05-31']);
    expect(none.totals.totalTokens).toBe(0);
  });

  it('does not read files last written before --since (less 14 hours for the earliest zone)', async () => {
    // The old session's file was last written 2026-01-10: skipped, so one file and one line fewer.
    const pruned = await reportJson('daily', ['--since', '2026-05-01']);
    expect(pruned.diagnostics).toMatchObject({ filesRead: 3, lines: 11, responses: 4 });
    expect(pickTotals(pruned.totals)).toEqual(RECENT);
    // --until does not prune: the file is read and its response filtered out.
    const until = await reportJson('daily', ['--until', '2026-01-09']);
    expect(until.diagnostics.filesRead).toBe(4);
    expect(until.totals.totalTokens).toBe(0);
    // 2026-01-11 starts at 2026-01-10T10:00Z in UTC+14, before the file's mtime (12:00Z): read.
    const edge = await reportJson('daily', ['--since', '2026-01-11']);
    expect(edge.diagnostics.filesRead).toBe(4);
  });

  it('puts a 23:30Z response on the next day with --timezone Asia/Tokyo', async () => {
    const utc = await reportJson('daily');
    expect(utc.rows.map((row: any) => [row.date, row.totalTokens])).toEqual([
      ['2026-01-10', 1100],
      ['2026-05-04', 110693],
    ]);
    const tokyo = await reportJson('daily', ['--timezone', 'Asia/Tokyo']);
    expect(tokyo.timezone).toBe('Asia/Tokyo');
    // R4 (1018 tokens) at 23:30Z is 08:30 on 5 May in Tokyo; the rest is 19:00-19:01 on the 4th.
    expect(tokyo.rows.map((row: any) => [row.date, row.totalTokens])).toEqual([
      ['2026-01-10', 1100],
      ['2026-05-04', 109675],
      ['2026-05-05', 1018],
    ]);
    expect(pickTotals(tokyo.totals)).toEqual(ALL);
  });

  // Rows by hand, as [key, totalTokens]: see the hand count at the top.
  const expectedRows: Record<string, [string, number][]> = {
    daily: [
      ['2026-01-10', 1100],
      ['2026-05-04', 110693],
    ],
    weekly: [
      ['2026-W02', 1100], // Saturday 10 January is in the week of Monday 5 January
      ['2026-W19', 110693],
    ],
    monthly: [
      ['2026-01', 1100],
      ['2026-05', 110693],
    ],
    // Sorted by last activity: S3 (January), S1 (10:01), S2 (23:30).
    session: [
      [S3, 1100],
      [S1, 53310 + 53125 + 3240],
      [S2, 1018],
    ],
    project: [
      ['-home-dev-app', 110693], // S1 with its subagent, and the flat subagent of S2
      ['-home-dev-old', 1100],
    ],
    // claude-opus-4-6: R1 + R2 + R5; the dated ids are kept as written.
    model: [
      ['claude-haiku-4-5-20251001', 3240],
      ['claude-opus-4-6', 53310 + 53125 + 1100],
      ['claude-sonnet-4-5-20250929', 1018],
    ],
    // testing: R1 (npm test) + R2 (its turn's phase); exploration: R3 (Read);
    // other: R4 and R5 (no tools, no tool calls in their turns). Biggest first.
    phase: [
      ['testing', 106435],
      ['exploration', 3240],
      ['other', 2118],
    ],
  };

  for (const kind of REPORT_KINDS) {
    it(`runs "report ${kind}" as JSON with the hand-counted rows`, async () => {
      const report = await reportJson(kind);
      expect(report.report).toBe(kind);
      expect(pickTotals(report.totals)).toEqual(ALL);
      const key = { daily: 'date', weekly: 'week', monthly: 'month', session: 'sessionId', project: 'project', model: 'model', phase: 'phase' }[kind];
      expect(report.rows.map((row: any) => [row[key], row.totalTokens])).toEqual(expectedRows[kind]);
    });

    it(`runs "report ${kind}" as a table with a Total line and no colour`, async () => {
      const run = await cli(['report', kind]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Total .* 111,793 /m);
      expect(run.stdout).not.toMatch(/\u001b\[/);
      for (const [rowKey] of expectedRows[kind]!) expect(run.stdout).toContain(rowKey.slice(0, 39));
      expect(run.stdout).toContain('Read 4 files, 12 lines: 5 responses, 2 duplicate lines dropped, 1 malformed and 1 non-billing lines skipped.');
    });
  }

  it('lists the phase report\'s tool calls', async () => {
    const report = await reportJson('phase');
    expect(Object.fromEntries(report.rows.map((row: any) => [row.phase, row.toolCalls]))).toEqual({ testing: 1, exploration: 1, other: 0 });
  });
});

describe('tokenledger report: the read cache', () => {
  it('writes a cache and gives identical JSON from it, and with --no-cache', async () => {
    const root = await mkdtemp(path.join(temp, 'cache-'));
    const own = await writeTree(root);
    const env = await pinnedEnv(root, own.config);
    const cacheDir = path.join(env.XDG_CACHE_HOME!, 'tokenledger');
    const snapshotFile = path.join(cacheDir, 'claude-code.events.bin');
    const cacheFiles = async () => (await readdir(cacheDir)).map((name) => path.join(cacheDir, name)).sort();

    const noCache = await reportJson('session', ['--no-cache'], env);
    expect(existsSync(cacheDir)).toBe(false);
    const first = await reportJson('session', [], env);
    const files = await cacheFiles();
    expect(files).toEqual([snapshotFile, path.join(cacheDir, 'claude-code.files.jsonl'), path.join(cacheDir, 'reports.json')]);
    const written = await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs));
    const second = await reportJson('session', [], env);
    expect(second).toEqual(first);
    expect(noCache).toEqual(first);
    expect(pickTotals(second.totals)).toEqual(ALL);
    // Nothing changed, so the second run had nothing to write.
    expect(await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs))).toEqual(written);
    // The cache holds counts and ids, never the transcripts' text. (It keeps the branch name,
    // which capture hashes with the team key; like the transcripts, it never leaves the machine.)
    const cached = (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n');
    for (const canary of Object.values(CANARY)) if (canary !== CANARY.branch) expect(cached).not.toContain(canary);
  });

  it('picks up lines appended after a cached run, merging a grown snapshot', async () => {
    const root = await mkdtemp(path.join(temp, 'append-'));
    const own = await writeTree(root);
    const env = await pinnedEnv(root, own.config);
    const before = await reportJson('daily', [], env);
    expect(pickTotals(before.totals)).toEqual(ALL);

    // A later snapshot of R2 with output 150 (was 120: +30) and a new response R6 (1 input + 2 output).
    await appendTranscript(
      own.main,
      [
        ...assistantLines({ sessionId: S1, timestamp: '2026-05-04T10:01:00.500Z', messageId: 'msg_01R2', requestId: 'req_01R2', usage: { input: 5, output: 150, cacheRead: 53000 }, blocks: [{ type: 'text', text: 'x' }] }),
        ...assistantLines({ sessionId: S1, timestamp: '2026-05-04T10:02:00.000Z', messageId: 'msg_01R6', requestId: 'req_01R6', usage: { input: 1, output: 2 }, blocks: [{ type: 'text', text: 'y' }] }),
      ],
      '2026-05-04T10:02:00.000Z',
    );
    const after = await reportJson('daily', [], env);
    expect(after.totals.totalTokens).toBe(ALL.totalTokens + 30 + 3);
    expect(after.totals.outputTokens).toBe(ALL.outputTokens + 30 + 2);
    expect(after.diagnostics).toEqual({ filesRead: 4, lines: 14, responses: 6, duplicateLines: 3, malformedLines: 1, skippedLines: 1 });
    // The same as reading everything afresh.
    expect(await reportJson('daily', ['--no-cache'], env)).toEqual(after);
  });
});

describe('tokenledger report: the stored reports', () => {
  it('prints a repeated report from the stored one, and computes it again when a log file changed', async () => {
    const root = await mkdtemp(path.join(temp, 'stored-'));
    const own = await writeTree(root);
    const env = await pinnedEnv(root, own.config);
    const cacheDir = path.join(env.XDG_CACHE_HOME!, 'tokenledger');
    const first = await cli(['report', 'daily'], env);
    const firstJson = await reportJson('daily', [], env);
    expect(first.stderr).toContain('warning: '); // the truncated line, told again from the stored report

    // Same size and mtime, other bytes, and no read cache left: only a stored report still says 10.
    const { mtime } = await stat(own.old);
    const text = await readFile(own.old, 'utf8');
    const changed = text.replace('"input_tokens":1000', '"input_tokens":2000');
    expect(changed).not.toBe(text);
    await writeFile(own.old, changed);
    await utimes(own.old, mtime, mtime);
    await rm(path.join(cacheDir, 'claude-code.events.bin'));
    await rm(path.join(cacheDir, 'claude-code.files.jsonl'));
    const again = await cli(['report', 'daily'], env);
    expect(again.stdout).toBe(first.stdout);
    expect(again.stderr).toBe(first.stderr);
    expect(await reportJson('daily', [], env)).toEqual(firstJson);
    // Other options are another report.
    expect((await reportJson('daily', ['--since', '2026-05-01'], env)).totals).toMatchObject(pickTotals({ ...ALL, ...RECENT }));

    // A new mtime: the file is read again and the report computed afresh.
    await utimes(own.old, mtime, new Date(mtime.getTime() + 1000));
    const fresh = await reportJson('daily', [], env);
    expect(fresh.totals.inputTokens).toBe(ALL.inputTokens + 1000);
    expect(fresh).toEqual(await reportJson('daily', ['--no-cache'], env));
  });
});

describe('tokenledger report: bad input', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown report kind', ['report', 'hourly'], /^tokenledger: report: unknown report "hourly"; choose one of daily, weekly, monthly, session, project, model, phase$/],
    ['an impossible --since date', ['report', 'daily', '--since', '2026-13-01'], /^tokenledger: --since: expected a date as YYYY-MM-DD, got "2026-13-01"$/],
    ['a --until date that does not exist', ['report', 'daily', '--until', '2026-02-30'], /^tokenledger: --until: .*"2026-02-30"$/],
    ['an unknown --timezone', ['report', 'daily', '--timezone', 'Mars/Base'], /^tokenledger: --timezone: unknown IANA time zone "Mars\/Base"/],
    ['--since after --until', ['report', 'daily', '--since', '2026-05-05', '--until', '2026-05-04'], /^tokenledger: --since 2026-05-05 is after --until 2026-05-04$/],
  ];

  for (const [what, args, message] of cases) {
    it(`exits 1 with a one-line message for ${what}`, async () => {
      const run = await cli(args);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    });
  }

  it('rejects an unknown --agent, naming the flag', async () => {
    const run = await cli(['report', 'daily', '--agent', 'cursor']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--agent');
    expect(run.stdout).toBe('');
  });
});

describe('tokenledger summarize', () => {
  it('summarizes a session with its nested subagent, leaving out another session\'s flat subagent', async () => {
    const run = await cli(['summarize', tree.main, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.schema).toBe('tokenledger.session/1');
    // R1 + R2 + R3; R4 belongs to S2 and R5 to S3.
    expect(summary.tokens).toEqual({ input: 215, output: 460, cacheWrite5m: 4000, cacheWrite1h: 2000, cacheRead: 103000, total: 109675 });
    expect(summary.requests).toBe(3);
    expect(summary.subagents).toMatchObject({ count: 1, requests: 1, tokens: { total: 3240 } });
    expect(summary.costUSD).toBeCloseTo(0.0588 + 0.029525 + 0.00415, 9);
    expect(summary.userTurns).toBe(1);
    expect(summary.tools).toEqual({ Bash: 1, Read: 1 });
    expect(summary.agentVersion).toBe('2.1.114');
    expect(summary.entrypoint).toBe('cli');
    // 10:00:05 to 10:01:00, all gaps short.
    expect([summary.startedAt, summary.endedAt, summary.durationSeconds, summary.activeSeconds]).toEqual(['2026-05-04T10:00:00Z', '2026-05-04T10:00:00Z', 55, 55]);
    expect(summary.capturedBy).toBe('cli');
    expect(summary.developer).toBeNull();
    expect(summary.branch).toBeNull();
  });

  it('lets no free text of the transcript into the summary', async () => {
    for (const args of [['--json'], []]) {
      const run = await cli(['summarize', tree.main, ...args]);
      expect(run.code, run.stderr).toBe(0);
      for (const canary of Object.values(CANARY)) expect(run.stdout, canary).not.toContain(canary);
      for (const id of [S1, 'msg_01R1', 'req_01R1', 'toolu_01', 'a1b2c3d4', 'npm test', '-home-dev-app', 'CANARY']) expect(run.stdout, id).not.toContain(id);
    }
  });

  it('prints a readable summary without --json', async () => {
    const run = await cli(['summarize', tree.main]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Session ses_[0-9a-f]{24} \(claude-code 2\.1\.114, cli\)$/m);
    expect(run.stdout).toContain('Tokens 109,675:');
    expect(run.stdout).toContain('Requests 3 (1 by 1 subagents), user turns 1');
  });

  it('gives the same summary id for the same session every time', async () => {
    const a = JSON.parse((await cli(['summarize', tree.main, '--json'])).stdout);
    const b = JSON.parse((await cli(['summarize', tree.main, '--json'])).stdout);
    const other = JSON.parse((await cli(['summarize', tree.old, '--json'])).stdout);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(other.id);
    expect(other.tokens.total).toBe(1100);
  });

  it('exits 1 with a clear message for a missing file', async () => {
    const missing = path.join(temp, 'nope.jsonl');
    const run = await cli(['summarize', missing]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`tokenledger: ${missing}: no such transcript file`);
    expect(run.stdout).toBe('');
  });
});

describe('tokenledger --help', () => {
  it('lists the commands', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\breport\b/);
    expect(run.stdout).toMatch(/\bsummarize\b/);
  });

  it('lists every report kind in the report help', async () => {
    const run = await cli(['report', '--help']);
    expect(run.code).toBe(0);
    for (const kind of REPORT_KINDS) expect(run.stdout).toContain(kind);
    expect(run.stdout).toContain('--timezone');
    expect(run.stdout).toContain('--since');
  });
});

describe('the bundled sample transcripts', () => {
  it('report with the totals their generator recorded', async () => {
    const expected = JSON.parse(await readFile(path.join(ROOT, 'fixtures/demo/claude/expected.json'), 'utf8')).totals;
    const claude = await reportJson('daily', ['--agent', 'claude', '--no-cache'], { ...baseEnv, CLAUDE_CONFIG_DIR: path.join(ROOT, 'fixtures/demo/claude') });
    expect(claude.totals).toMatchObject({
      inputTokens: expected.inputTokens,
      outputTokens: expected.outputTokens,
      cacheCreation5mTokens: expected.cacheCreation5mTokens,
      cacheCreation1hTokens: expected.cacheCreation1hTokens,
      cacheReadTokens: expected.cacheReadTokens,
      totalTokens: expected.totalTokens,
    });
  });
});

describe('tokenledger demo', () => {
  it('draws the same site with chart workers as on one thread', { timeout: 180_000 }, async () => {
    const build = async (threads: string) => {
      const out = await mkdtemp(path.join(tmpdir(), `tl-demo-${threads}-`));
      const run = await cli(['demo', '--no-serve', '--out', out, '--now', '2026-11-16T18:00:00Z'], { ...baseEnv, TOKENLEDGER_THREADS: threads });
      expect(run.code, run.stderr).toBe(0);
      const files = (await readdir(out, { recursive: true, encoding: 'utf8' })).filter((name) => name.endsWith('.html')).sort();
      const pages = await Promise.all(files.map(async (name) => [name, await readFile(path.join(out, name), 'utf8')] as const));
      await rm(out, { recursive: true, force: true });
      return pages;
    };
    const [one, two] = [await build('1'), await build('2')];
    expect(one.length).toBeGreaterThan(50);
    expect(two.map(([name]) => name)).toEqual(one.map(([name]) => name));
    for (const [i, [name, html]] of two.entries()) expect(html, name).toBe(one[i]![1]);
    expect(one.find(([name]) => name === 'index.html')![1]).toMatch(/<svg[^>]*class="marks"/);
  });

  it('builds the demo team site and serves it on the port asked for', { timeout: 120_000 }, async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'tl-demo-'));
    // What `npm run demo` runs, with port 0 (any free port) so the test never collides.
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/tokenledger.js'), 'demo', '--out', out, '--port', '0'], { cwd: ROOT, env: baseEnv });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const found = /serving .* at (http:\/\/localhost:\d+\/)/.exec(stdout);
          if (found) resolve(found[1]!);
        });
        child.once('exit', (code) => reject(new Error(`demo exited ${code} before serving: ${stderr}`)));
      });
      const home = await fetch(url);
      expect(home.status).toBe(200);
      const html = await home.text();
      expect(html).toContain('<h1>Overview</h1>');
      expect(html).toMatch(/[\d,]+ sessions, [\d.]+[KMB]? tokens/);
      expect((await fetch(`${url}strategies/`)).status).toBe(200);
      expect((await fetch(`${url}no-such-page/`)).status).toBe(404);
      expect(existsSync(path.join(out, 'data', 'daily.csv'))).toBe(true);
    } finally {
      child.kill();
      await rm(out, { recursive: true, force: true });
    }
  });
});
