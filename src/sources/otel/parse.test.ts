import { describe, expect, it } from 'vitest';
import { apiRequestRecord, attributes, logsLine, tokenMetricsLine, toolResultRecord } from '../../../test/helpers/otlp.js';
import { parseExportLine, type LineOutcome } from './parse.js';

function parse(line: string): LineOutcome {
  return parseExportLine(Buffer.from(line), 'export.jsonl:1');
}

function usage(line: string) {
  const outcome = parse(line);
  if (outcome.kind !== 'usage') throw new Error(`expected usage, got ${JSON.stringify(outcome)}`);
  return outcome;
}

const request = { sessionId: 'sess-1', requestId: 'req_01', timestamp: '2026-05-01T10:00:00.250Z', input: 3, output: 196, cacheRead: 10459, cacheCreation: 8207 };

describe('parseExportLine: api_request events', () => {
  it('reads one event per request, keyed by its request id, as Claude Code usage', () => {
    const { requests, points, problems } = usage(logsLine([apiRequestRecord({ ...request, speed: 'fast' }), toolResultRecord('sess-1')]));
    expect(problems).toEqual([]);
    expect(points).toEqual([]);
    expect(requests).toEqual([
      {
        agent: 'claude-code',
        sessionId: 'sess-1',
        project: '',
        requestKey: 'req_01',
        timestampMs: Date.parse('2026-05-01T10:00:00.250Z'),
        model: 'claude-opus-4-6',
        tokens: { input: 3, output: 196, cacheWrite5m: 8207, cacheWrite1h: 0, cacheRead: 10459 },
        reasoningOutput: 0,
        webSearchRequests: 0,
        isSidechain: false,
        agentId: null,
        tools: [],
        turn: 0,
        speed: 'fast',
        agentVersion: null,
        entrypoint: null,
        gitBranch: null,
      },
    ]);
  });

  it('recognizes the event by body, by the OTLP eventName field, or by the event.name attribute alone', () => {
    const base = apiRequestRecord(request);
    const byName = { ...base, body: undefined, attributes: (base.attributes as object[]).filter((a) => (a as { key: string }).key !== 'event.name'), eventName: 'claude_code.api_request' };
    const byAttribute = { ...base, body: { stringValue: 'something else' } };
    expect(usage(logsLine([byName])).requests).toHaveLength(1);
    expect(usage(logsLine([byAttribute])).requests).toHaveLength(1);
  });

  it('reads counts written as intValue (string or number), doubleValue or a numeric string', () => {
    const record = {
      timeUnixNano: '1777629600000000000',
      attributes: [
        ...attributes({ 'event.name': 'api_request', 'session.id': 's', model: 'm', request_id: 'r' }),
        { key: 'input_tokens', value: { intValue: 7 } },
        { key: 'output_tokens', value: { intValue: '8' } },
        { key: 'cache_read_tokens', value: { doubleValue: 9 } },
        { key: 'cache_creation_tokens', value: { stringValue: '10' } },
      ],
    };
    const [event] = usage(logsLine([record])).requests;
    expect(event!.tokens).toEqual({ input: 7, output: 8, cacheWrite5m: 10, cacheWrite1h: 0, cacheRead: 9 });
    expect(event!.timestampMs).toBe(1777629600000); // no event.timestamp: the record's own time
  });

  it('keys an event without request_id by session, time and sequence (else its place), so it can only be joined by session', () => {
    const [withSequence, without] = usage(logsLine([apiRequestRecord({ ...request, requestId: undefined, sequence: 12 }), apiRequestRecord({ ...request, requestId: undefined })])).requests;
    const at = String(Date.parse(request.timestamp));
    expect(withSequence!.requestKey).toBe(`otel\u0000event\u0000sess-1\u0000${at}\u000012`);
    expect(without!.requestKey).toBe(`otel\u0000event\u0000sess-1\u0000${at}\u0000export.jsonl:1#resourceLogs[0].scopeLogs[0].logRecords[1]`);
  });

  it('names the record and attribute of a bad value, and still reads the line\'s other records', () => {
    const bad = apiRequestRecord({ ...request, requestId: 'req_02' });
    (bad.attributes as { key: string; value: unknown }[]).find((a) => a.key === 'output_tokens')!.value = { stringValue: 'many' };
    const noSession = apiRequestRecord({ ...request, requestId: 'req_03' });
    noSession.attributes = (noSession.attributes as { key: string }[]).filter((a) => a.key !== 'session.id');
    const { requests, problems } = usage(logsLine([apiRequestRecord(request), bad, noSession]));
    expect(requests.map((event) => event.requestKey)).toEqual(['req_01']);
    expect(problems).toEqual([
      'resourceLogs[0].scopeLogs[0].logRecords[1].attributes.output_tokens: expected a non-negative number, got "many"',
      'resourceLogs[0].scopeLogs[0].logRecords[2].attributes.session.id: missing (needed to join exports with transcripts; Claude Code sends it by default)',
    ]);
  });

  it('skips lines without usage and reports broken ones with the reason', () => {
    expect(parse(logsLine([toolResultRecord('s')]))).toEqual({ kind: 'skipped' });
    expect(parse('{"resourceSpans":[]}')).toEqual({ kind: 'skipped' });
    expect(parse('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"claude_code.api_requ')).toEqual({ kind: 'malformed', reason: 'not a JSON object (truncated line?)' });
    expect(parse('{"resourceLogs": "api_request"}')).toEqual({ kind: 'malformed', reason: 'resourceLogs: expected array, received string' });
    const broken = parse('{"resourceLogs":[{"x":"api_request"},]}');
    expect(broken.kind === 'malformed' && broken.reason).toMatch(/^invalid JSON/);
  });
});

describe('parseExportLine: token metrics', () => {
  it('reads claude_code.token.usage points with their type, session, model and times; ignores other metrics', () => {
    const { points, requests } = usage(
      tokenMetricsLine([
        { sessionId: 's', type: 'cacheCreation', value: 400, time: '2026-05-01T10:01:00Z' },
        { sessionId: 's', type: 'output', value: 12, time: '2026-05-01T10:01:00Z' },
      ]),
    );
    expect(requests).toEqual([]);
    expect(points.map(({ series: _series, ...point }) => point)).toEqual([
      { sessionId: 's', model: 'claude-opus-4-6', speed: 'standard', type: 'cacheWrite5m', value: 400, startMs: Date.parse('2026-05-01T00:00:00Z'), timeMs: Date.parse('2026-05-01T10:01:00Z'), temporality: 'delta' },
      { sessionId: 's', model: 'claude-opus-4-6', speed: 'standard', type: 'output', value: 12, startMs: Date.parse('2026-05-01T00:00:00Z'), timeMs: Date.parse('2026-05-01T10:01:00Z'), temporality: 'delta' },
    ]);
    expect(points[0]!.series).not.toBe(points[1]!.series);
  });

  it('names an unknown token type and an unknown temporality', () => {
    const line = JSON.parse(tokenMetricsLine([{ sessionId: 's', type: 'input', value: 1, time: '2026-05-01T10:01:00Z' }]));
    line.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].attributes.find((a: { key: string }) => a.key === 'type').value = { stringValue: 'cacheWrite' };
    expect(usage(JSON.stringify(line)).problems).toEqual([
      'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].attributes.type: expected one of input, output, cacheRead, cacheCreation',
    ]);
    line.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality = 0;
    expect(usage(JSON.stringify(line)).problems).toEqual(['resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality: expected 1 (delta) or 2 (cumulative), got 0']);
  });
});
