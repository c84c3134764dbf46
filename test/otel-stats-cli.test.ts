/**
 * End to end: the built CLI over transcripts, an OpenTelemetry export and a stats cache written
 * here, with a pinned environment. Session S1 has two responses in its transcript:
 *   req_a  3 / 196 / 8207 (1h write) / 10459   = input / output / cache write / cache read
 *   req_b  1 /   9 / 2284 (5m write) / 18666
 * The export holds both (Claude Code exported them too) and req_x (120 / 30, haiku), which no
 * transcript holds. The stats cache for 2026-05-01 says opus 2 * (199 + 10) (every streamed line
 * counted) and has 2026-04-01, whose transcripts are gone.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequestRecord, logsLine, tokenMetricsLine, writeExport } from './helpers/otlp.js';
import { ensureBuilt, run } from './helpers/process.js';
import { assistantLines, userPrompt, writeTranscript } from './helpers/transcripts.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/tokenledger.js');

let temp: string;
let env: NodeJS.ProcessEnv;
let exportFile: string;

const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => run(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, cwd: temp });

async function reportTotals(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const result = await cli(['report', 'daily', '--json', ...args], extra);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  const { inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens, requests } = JSON.parse(result.stdout).totals;
  return { inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens, requests };
}

beforeAll(async () => {
  await ensureBuilt();
  temp = await mkdtemp(path.join(tmpdir(), 'tokenledger-otel-cli-'));
  const dirs = { HOME: path.join(temp, 'home'), XDG_CACHE_HOME: path.join(temp, 'cache'), CODEX_HOME: path.join(temp, 'codex') };
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  const config = path.join(temp, 'claude');
  env = { PATH: process.env.PATH, ...dirs, CLAUDE_CONFIG_DIR: config, TZ: 'UTC', NO_COLOR: '1' };

  const responses = [
    { messageId: 'msg_a', requestId: 'req_a', timestamp: '2026-05-01T10:00:05Z', usage: { input: 3, output: 196, cacheWrite1h: 8207, cacheRead: 10459 } },
    { messageId: 'msg_b', requestId: 'req_b', timestamp: '2026-05-01T10:01:05Z', usage: { input: 1, output: 9, cacheWrite5m: 2284, cacheRead: 18666 } },
  ];
  await writeTranscript(config, 'projects/-home-dev-app/s1.jsonl', [
    userPrompt({ sessionId: 's1', timestamp: '2026-05-01T10:00:00Z', text: 'hello' }),
    ...responses.flatMap((r) => assistantLines({ ...r, sessionId: 's1', blocks: [{ type: 'thinking', thinking: '…' }, { type: 'text', text: 'ok' }] })),
  ]);
  exportFile = await writeExport(path.join(temp, 'exports'), 'claude-code.jsonl', [
    logsLine([
      ...responses.map((r) => apiRequestRecord({ sessionId: 's1', requestId: r.requestId, timestamp: r.timestamp, input: r.usage.input, output: r.usage.output, cacheRead: r.usage.cacheRead, cacheCreation: (r.usage.cacheWrite1h ?? 0) + (r.usage.cacheWrite5m ?? 0) })),
      apiRequestRecord({ sessionId: 's1', requestId: 'req_x', timestamp: '2026-05-01T10:02:00Z', model: 'claude-haiku-4-5', input: 120, output: 30 }),
    ]),
  ]);
  await writeFile(
    path.join(config, 'stats-cache.json'),
    JSON.stringify({ version: 2, lastComputedDate: '2026-05-01', dailyModelTokens: [{ date: '2026-04-01', tokensByModel: { 'claude-opus-4-6': 5000 } }, { date: '2026-05-01', tokensByModel: { 'claude-opus-4-6': 418 } }] }),
  );
}, 120_000);

afterAll(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

const TRANSCRIPTS = { inputTokens: 4, outputTokens: 205, cacheCreationTokens: 10491, cacheReadTokens: 29125, requests: 2 };

describe('report with OpenTelemetry exports', () => {
  it('--agent otel reports only what the export holds', async () => {
    expect(await reportTotals(['--agent', 'otel', '--otel', exportFile])).toEqual({ inputTokens: 124, outputTokens: 235, cacheCreationTokens: 10491, cacheReadTokens: 29125, requests: 3 });
  });

  it('counts each call once when transcripts and exports are read together ($TOKENLEDGER_OTEL_EXPORTS or --otel)', async () => {
    expect(await reportTotals(['--agent', 'claude'])).toEqual(TRANSCRIPTS);
    const joined = { ...TRANSCRIPTS, inputTokens: 124, outputTokens: 235, requests: 3 };
    expect(await reportTotals([], { TOKENLEDGER_OTEL_EXPORTS: path.dirname(exportFile) })).toEqual(joined);
    expect(await reportTotals(['--agent', 'claude', '--otel', exportFile])).toEqual(joined);
  });

  it('notes on stderr when a session is counted from metrics alone', async () => {
    const metrics = await writeExport(path.join(temp, 'metrics'), 'm.jsonl', [tokenMetricsLine([{ sessionId: 's9', type: 'input', value: 77, time: '2026-05-01T11:00:00Z' }])]);
    const result = await cli(['report', 'daily', '--json', '--agent', 'otel', '--otel', metrics]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).totals.inputTokens).toBe(77);
    expect(result.stderr).toMatch(/^note: 1 session\(s\) in the OpenTelemetry exports have token metrics but no api_request events or transcripts/);
  });
});

describe('doctor and the stats cache', () => {
  it('adds the stats-cache comparison to --json and keeps the rest', async () => {
    const result = await cli(['doctor', '--json', '--repo', temp]);
    expect(result.code, result.stderr).toBe(0);
    const doctor = JSON.parse(result.stdout);
    expect(Object.keys(doctor)).toEqual(['hooks', 'runs', 'repository', 'statsCaches']);
    expect(doctor.statsCaches).toEqual([
      {
        file: path.join(env.CLAUDE_CONFIG_DIR!, 'stats-cache.json'),
        timeZone: 'UTC',
        reconciliation: {
          lastComputedDate: '2026-05-01',
          verdict: 'gaps',
          totals: { cache: 5418, transcripts: 209 },
          counts: { match: 0, 'transcripts-gone': 1, 'cache-higher': 1, 'cache-lower': 0, 'not-yet-cached': 0 },
          rows: [
            { day: '2026-04-01', model: 'claude-opus-4-6', cache: 5000, transcripts: 0, kind: 'transcripts-gone' },
            { day: '2026-05-01', model: 'claude-opus-4-6', cache: 418, transcripts: 209, kind: 'cache-higher' },
          ],
        },
      },
    ]);
  });

  it('prints the verdict and the gap days after the capture checks', async () => {
    const result = await cli(['doctor', '--repo', temp]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Hooks');
    expect(lines).toContain('This repository');
    const section = lines.slice(lines.indexOf('Claude Code stats cache (/usage) against the transcripts'));
    expect(section.slice(0, 5)).toEqual([
      'Claude Code stats cache (/usage) against the transcripts',
      `  ${path.join(env.CLAUDE_CONFIG_DIR!, 'stats-cache.json')} (input+output tokens per day in UTC, computed through 2026-05-01)`,
      '  differs from the transcripts on 2 day(s), 2 of 2 day/model totals: cache 5,418, transcripts 209 tokens (tokenledger counts the transcripts).',
      '    2026-04-01  claude-opus-4-6  cache 5,000  transcripts   0  no transcripts',
      '    2026-05-01  claude-opus-4-6  cache   418  transcripts 209  cache higher',
    ]);
  });
});
