import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from './cached-state.js';
import type { ResponseRecord, TranscriptState } from './schema.js';
import { transcriptStateSchema } from './schema.js';

function record(overrides: Partial<ResponseRecord> = {}): ResponseRecord {
  return {
    key: 'msg_1\u0000req_1',
    timestampMs: Date.parse('2026-05-01T10:00:00.123Z'),
    model: 'claude-opus-4-6',
    tokens: { input: 100, output: 5, cacheWrite5m: 7, cacheWrite1h: 8, cacheRead: 9 },
    webSearchRequests: 2,
    final: true,
    isSidechain: false,
    agentId: null,
    sessionId: 'sess-1',
    version: '2.1.0',
    entrypoint: 'cli',
    gitBranch: 'main',
    speed: 'standard',
    tools: [],
    lines: 3,
    ...overrides,
  };
}

const state: TranscriptState = {
  responses: [
    record({ tools: [{ id: 'toolu_b', name: 'Bash', phase: 'testing' }, { id: 'toolu_a', name: 'Read', phase: 'exploration' }] }),
    record({ key: 'line:/p/s.jsonl:4', final: false, isSidechain: true, agentId: 'a1b2', version: null, entrypoint: null, gitBranch: null, speed: 'fast', lines: 1 }),
    record({ key: 'msg_3', tools: [{ id: '12#0', name: 'mcp:github', phase: 'other' }] }),
  ],
  prompts: [Date.parse('2026-05-01T09:59:00.000Z'), 1.5],
  counts: { lines: 12, malformedLines: 1, skippedLines: 2 },
  malformedSamples: ['/p/s.jsonl:7: invalid JSON (Unexpected end of JSON input)'],
};

describe('encodeState / decodeState', () => {
  it('gives back the state it was given, through JSON', () => {
    const decoded = decodeState(JSON.parse(JSON.stringify(encodeState(state))));
    expect(decoded).toEqual(state);
    expect(transcriptStateSchema.parse(decoded)).toEqual(state);
  });

  it('stores each repeated string once and the token counts in TOKEN_TYPES order', () => {
    const encoded = encodeState(state);
    expect(encoded.strings.filter((value) => value === 'sess-1')).toHaveLength(1);
    expect(JSON.stringify(encoded.responses)).toContain('100,5,7,8,9');
  });

  it('turns down rows that do not add up, so the file is read afresh', () => {
    const encoded = encodeState(state);
    expect(decodeState({ ...encoded, responses: encoded.responses.slice(1) })).toBeUndefined();
    expect(decodeState({ ...encoded, tools: encoded.tools.slice(3) })).toBeUndefined();
  });
});
