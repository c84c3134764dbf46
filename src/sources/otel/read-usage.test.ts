/**
 * Transcripts and OpenTelemetry exports read together through `readUsage`: each call counts once.
 * The fixtures are written here (transcripts with the shared builders, exports with ../../test/helpers/otlp.ts);
 * the last test derives an export from the real transcripts in ../shared/fixtures/real.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addTokens, zeroTokens, type UsageEvent } from '../events.js';
import { readUsage, type SourceId } from '../index.js';
import { sumTokens } from '../../../test/helpers/events.js';
import { apiRequestRecord, logsLine, tokenMetricsLine, writeExport, type ApiRequestSpec } from '../../../test/helpers/otlp.js';
import { REAL_FIXTURES, hasRealFixtures } from '../../../test/helpers/real-fixtures.js';
import { assistantLines, userPrompt, writeTranscript } from '../../../test/helpers/transcripts.js';
import { requestIdOfKey } from './keys.js';

let root: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tl-otel-join-'));
  env = { CLAUDE_CONFIG_DIR: path.join(root, 'claude'), TOKENLEDGER_OTEL_EXPORTS: path.join(root, 'exports'), HOME: root };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const read = (sources: readonly SourceId[]) => readUsage(sources, { env, cacheDir: null });

/** Two responses of session s1, each streamed as two lines (a thinking block, then text). */
const responses = [
  { messageId: 'msg_a', requestId: 'req_a', timestamp: '2026-05-01T10:00:05Z', usage: { input: 3, output: 196, cacheWrite1h: 8207, cacheRead: 10459 } },
  { messageId: 'msg_b', requestId: 'req_b', timestamp: '2026-05-01T10:01:05Z', usage: { input: 1, output: 9, cacheWrite5m: 2284, cacheRead: 18666 } },
];

async function writeSession(): Promise<void> {
  await writeTranscript(env.CLAUDE_CONFIG_DIR!, 'projects/-home-dev-app/s1.jsonl', [
    userPrompt({ sessionId: 's1', timestamp: '2026-05-01T10:00:00Z', text: 'hello' }),
    ...responses.flatMap((r) => assistantLines({ ...r, sessionId: 's1', blocks: [{ type: 'thinking', thinking: '…' }, { type: 'text', text: 'ok' }] })),
  ]);
}

/** What Claude Code exports for the same two calls: cache writes as one total. */
const exportedCalls: ApiRequestSpec[] = responses.map((r) => ({
  sessionId: 's1',
  requestId: r.requestId,
  timestamp: r.timestamp,
  input: r.usage.input,
  output: r.usage.output,
  cacheRead: r.usage.cacheRead,
  cacheCreation: (r.usage.cacheWrite1h ?? 0) + (r.usage.cacheWrite5m ?? 0),
}));
/** A call no transcript holds (Claude Code's own side calls, or a deleted transcript). */
const exportOnly: ApiRequestSpec = { sessionId: 's1', requestId: 'req_x', timestamp: '2026-05-01T10:02:00Z', model: 'claude-haiku-4-5', input: 120, output: 30, cacheRead: 0, cacheCreation: 0 };

describe('readUsage with transcripts and OpenTelemetry exports', () => {
  it('counts requests present in both once: totals equal the transcript-only totals', async () => {
    await writeSession();
    await writeExport(env.TOKENLEDGER_OTEL_EXPORTS!, 'logs.jsonl', exportedCalls.map((call) => logsLine([apiRequestRecord(call)])));
    const transcriptsOnly = await read(['claude-code']);
    const both = await read(['claude-code', 'otel']);
    expect(both.events).toEqual(transcriptsOnly.events); // the transcript's events win, tools and turns included
    expect(both.diagnostics.responses).toBe(2);
    expect(both.diagnostics.duplicateLines).toBe(transcriptsOnly.diagnostics.duplicateLines + 2);
  });

  it('adds exactly the tokens of exported requests no transcript holds', async () => {
    await writeSession();
    await writeExport(env.TOKENLEDGER_OTEL_EXPORTS!, 'logs.jsonl', [logsLine([...exportedCalls, exportOnly].map(apiRequestRecord))]);
    const transcriptsOnly = sumTokens((await read(['claude-code'])).events);
    const both = await read(['claude-code', 'otel']);
    expect(sumTokens(both.events)).toEqual({ ...transcriptsOnly, input: transcriptsOnly.input + 120, output: transcriptsOnly.output + 30 });
    expect(both.events.find((event) => event.requestKey === 'req_x')).toMatchObject({ agent: 'claude-code', sessionId: 's1', model: 'claude-haiku-4-5' });
  });

  it('reads only the exports for --agent otel', async () => {
    await writeSession();
    await writeExport(env.TOKENLEDGER_OTEL_EXPORTS!, 'logs.jsonl', [logsLine([...exportedCalls, exportOnly].map(apiRequestRecord))]);
    const exports = await read(['otel']);
    expect(exports.events.map((event) => event.requestKey).sort()).toEqual(['req_a', 'req_b', 'req_x']);
    expect(exports.events.every((event) => event.project === '' && event.tools.length === 0)).toBe(true);
  });

  it('counts metrics-only sessions as aggregates with a note, and drops metrics a transcript or event already covers', async () => {
    await writeSession();
    await writeExport(env.TOKENLEDGER_OTEL_EXPORTS!, 'metrics.jsonl', [
      tokenMetricsLine([
        { sessionId: 's1', type: 'input', value: 4, time: '2026-05-01T10:01:00Z' }, // s1 has transcripts
        { sessionId: 's9', type: 'input', value: 50, time: '2026-05-01T10:01:00Z' },
        { sessionId: 's9', type: 'cacheCreation', value: 700, time: '2026-05-01T10:02:00Z' },
      ]),
    ]);
    const both = await read(['claude-code', 'otel']);
    const aggregates = both.events.filter((event) => event.sessionId === 's9');
    expect(aggregates.map((event) => event.tokens)).toEqual([
      { ...zeroTokens(), input: 50 },
      { ...zeroTokens(), cacheWrite5m: 700 },
    ]);
    expect(both.events.filter((event) => event.sessionId === 's1')).toHaveLength(2);
    expect(both.notes).toEqual([expect.stringMatching(/^1 session\(s\) in the OpenTelemetry exports have token metrics but no api_request events or transcripts:/)]);
  });

  it('names malformed export lines by file and line, counts them, and keeps going', async () => {
    const file = await writeExport(env.TOKENLEDGER_OTEL_EXPORTS!, 'logs.jsonl', [
      logsLine([apiRequestRecord(exportOnly)]),
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"claude_code.api_req',
      logsLine([apiRequestRecord(exportOnly)]), // exported twice: counted once
    ]);
    const exports = await readUsage(['otel'], { env: { ...env, TOKENLEDGER_OTEL_EXPORTS: `${file},${path.join(root, 'nowhere')}` }, cacheDir: null });
    expect(exports.events).toHaveLength(1);
    expect(exports.diagnostics).toMatchObject({ filesRead: 1, lines: 3, responses: 1, duplicateLines: 1, malformedLines: 2 });
    expect(exports.diagnostics.malformedSamples).toEqual([
      `${path.join(root, 'nowhere')}: no such file or folder (named by --otel or TOKENLEDGER_OTEL_EXPORTS)`,
      `${file}:2: not a JSON object (truncated line?)`,
    ]);
  });
});

describe.skipIf(!hasRealFixtures)('readUsage on real transcripts with an export derived from them', () => {
  it('joins every real request, and adds only the export-only one', async () => {
    const realEnv = { CLAUDE_CONFIG_DIR: path.join(REAL_FIXTURES, 'claude-code', 'Eiji1202__dotclaude'), HOME: root };
    const transcripts = await readUsage(['claude-code'], { env: realEnv, cacheDir: null });
    // What Claude Code would have exported for those calls (every real key carries a request id).
    const calls = transcripts.events.map(
      (event: UsageEvent): ApiRequestSpec => ({
        sessionId: event.sessionId,
        requestId: requestIdOfKey(event.requestKey),
        timestamp: new Date(event.timestampMs).toISOString(),
        model: event.model,
        input: event.tokens.input,
        output: event.tokens.output,
        cacheRead: event.tokens.cacheRead,
        cacheCreation: event.tokens.cacheWrite5m + event.tokens.cacheWrite1h,
      }),
    );
    expect(calls.every((call) => call.requestId!.startsWith('req_'))).toBe(true);
    const exports = path.join(root, 'exports');
    await writeExport(exports, 'logs.jsonl', [logsLine(calls.map(apiRequestRecord)), logsLine([apiRequestRecord(exportOnly)])]);
    const both = await readUsage(['claude-code', 'otel'], { env: { ...realEnv, TOKENLEDGER_OTEL_EXPORTS: exports }, cacheDir: null });
    expect(transcripts.events).toHaveLength(13);
    expect(both.events).toHaveLength(14);
    const expected = addTokens(sumTokens(transcripts.events), { ...zeroTokens(), input: 120, output: 30 });
    const { reasoningOutput: _reasoning, ...sum } = sumTokens(both.events);
    expect(sum).toEqual({ input: expected.input, output: expected.output, cacheWrite5m: expected.cacheWrite5m, cacheWrite1h: expected.cacheWrite1h, cacheRead: expected.cacheRead });
  });
});
