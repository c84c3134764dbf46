import { describe, expect, it } from 'vitest';
import { parseTranscriptText } from './parse.js';

const context = { file: '/p/-home-dev-app/s1.jsonl', pathSessionId: 's1', pathAgentId: null };

interface Snapshot {
  id?: string;
  requestId?: string | null;
  output?: number;
  input?: number;
  cacheRead?: number;
  cacheWrite?: number;
  split?: { m5: number; h1: number } | null;
  model?: string;
  stop?: string | null;
  blocks?: unknown[];
  timestamp?: string;
}

/** One assistant line as Claude Code writes it (compact JSON). */
function assistant(s: Snapshot = {}): string {
  const usage: Record<string, unknown> = {
    input_tokens: s.input ?? 10,
    cache_creation_input_tokens: s.cacheWrite ?? 0,
    cache_read_input_tokens: s.cacheRead ?? 0,
    output_tokens: s.output ?? 1,
  };
  if (s.split) usage.cache_creation = { ephemeral_5m_input_tokens: s.split.m5, ephemeral_1h_input_tokens: s.split.h1 };
  return JSON.stringify({
    type: 'assistant',
    sessionId: 's1',
    timestamp: s.timestamp ?? '2026-04-08T14:05:36.402Z',
    ...(s.requestId === null ? {} : { requestId: s.requestId ?? 'req_1' }),
    message: { id: s.id ?? 'msg_1', model: s.model ?? 'claude-sonnet-4-5', content: s.blocks ?? [{ type: 'text', text: 'hi' }], stop_reason: s.stop ?? null, usage },
  });
}

function parse(lines: string[]) {
  return parseTranscriptText(lines.join('\n'), context);
}

describe('parseTranscriptText', () => {
  it('keeps the snapshot with the largest output whatever the line order, never the first', () => {
    const state = parse([assistant({ output: 5 }), assistant({ output: 300, stop: 'end_turn' }), assistant({ output: 1 })]);
    expect(state.responses).toHaveLength(1);
    expect(state.responses[0]!.tokens.output).toBe(300);
    expect(state.responses[0]!.lines).toBe(3);
  });

  it('prefers the final (stop_reason) snapshot when outputs tie', () => {
    const state = parse([assistant({ output: 7, input: 3, stop: 'end_turn' }), assistant({ output: 7, input: 3 })]);
    expect(state.responses[0]!.final).toBe(true);
  });

  it('matches on message id alone when the request id is missing', () => {
    const state = parse([assistant({ requestId: null, output: 2 }), assistant({ requestId: null, output: 9 })]);
    expect(state.responses).toHaveLength(1);
    expect(state.responses[0]!.tokens.output).toBe(9);
  });

  it('counts the same message id under two request ids as two responses', () => {
    const state = parse([assistant({ requestId: 'req_a' }), assistant({ requestId: 'req_b' })]);
    expect(state.responses).toHaveLength(2);
  });

  it('skips <synthetic> notices and counts them as non-billing', () => {
    const state = parse([assistant({ model: '<synthetic>', input: 0, output: 0 }), assistant()]);
    expect(state.responses).toHaveLength(1);
    expect(state.counts.skippedLines).toBe(1);
  });

  it('splits cache writes into 5m and 1h, and counts an unsplit write as 5m', () => {
    const [unsplit] = parse([assistant({ cacheWrite: 500 })]).responses;
    expect(unsplit!.tokens).toMatchObject({ cacheWrite5m: 500, cacheWrite1h: 0 });
    const [split] = parse([assistant({ cacheWrite: 500, split: { m5: 100, h1: 400 } })]).responses;
    expect(split!.tokens).toMatchObject({ cacheWrite5m: 100, cacheWrite1h: 400 });
    // A split that explains only part of the total: the rest was a 5-minute write.
    const [partial] = parse([assistant({ cacheWrite: 500, split: { m5: 0, h1: 300 } })]).responses;
    expect(partial!.tokens).toMatchObject({ cacheWrite5m: 200, cacheWrite1h: 300 });
  });

  it('unites the tool calls of all snapshot lines and classifies Bash without keeping the command', () => {
    const state = parse([
      assistant({ output: 1, blocks: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/secret/path.ts' } }] }),
      assistant({ output: 40, blocks: [{ type: 'tool_use', id: 'toolu_2', name: 'Bash', input: { command: 'npm test -- --canary-7f3a' } }] }),
      assistant({ output: 40, blocks: [{ type: 'tool_use', id: 'toolu_2', name: 'Bash', input: { command: 'npm test -- --canary-7f3a' } }] }),
    ]);
    expect(state.responses[0]!.tools).toEqual([
      { id: 'toolu_1', name: 'Read', phase: 'exploration' },
      { id: 'toolu_2', name: 'Bash', phase: 'testing' },
    ]);
    expect(JSON.stringify(state)).not.toMatch(/canary-7f3a|secret\/path/);
  });

  it('keeps one call per tool_use id, the one of the snapshot that wins', () => {
    const call = (name: string) => [{ type: 'tool_use', id: 'toolu_1', name, input: {} }];
    const state = parse([assistant({ output: 50, blocks: call('Grep') }), assistant({ output: 2, blocks: call('Read') })]);
    expect(state.responses[0]!.tools).toEqual([{ id: 'toolu_1', name: 'Grep', phase: 'exploration' }]);
  });

  it('reads lines written with other JSON spacing', () => {
    const spaced = assistant({ output: 12 }).replace(/":/g, '": ').replace(/,"/g, ', "');
    expect(spaced).toContain('"usage": {');
    expect(parse([spaced]).responses[0]!.tokens.output).toBe(12);
  });

  it('counts malformed lines with file, line and field, and keeps going', () => {
    const badUsage = assistant().replace('"output_tokens":1', '"output_tokens":"many"');
    const badTime = assistant({ id: 'msg_2' }).replace('2026-04-08T14:05:36.402Z', 'yesterday');
    const truncatedToolResult = '{"type":"user","message":{"content":[{"type":"tool_result","content":"abc';
    const state = parse(['{"type":"assistant",', badUsage, badTime, truncatedToolResult, assistant({ id: 'msg_3' })]);
    expect(state.counts.malformedLines).toBe(4);
    expect(state.responses.map((r) => r.key)).toEqual(['msg_3\u0000req_1']);
    expect(state.malformedSamples).toEqual([
      expect.stringMatching(/^\/p\/-home-dev-app\/s1\.jsonl:1: invalid JSON/),
      '/p/-home-dev-app/s1.jsonl:2: message.usage.output_tokens: expected a non-negative number, got "many"',
      '/p/-home-dev-app/s1.jsonl:3: timestamp: not an ISO-8601 time: "yesterday"',
      '/p/-home-dev-app/s1.jsonl:4: not a JSON object (truncated line?)',
    ]);
  });

  it('takes typed prompts as turn starts, not tool results or meta lines', () => {
    const prompt = (extra: object) => JSON.stringify({ type: 'user', timestamp: '2026-04-08T14:00:00.000Z', message: { role: 'user', content: 'fix the bug' }, ...extra });
    const toolResult = JSON.stringify({ type: 'user', timestamp: '2026-04-08T14:01:00.000Z', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'ok' }] } });
    const state = parse([prompt({}), prompt({ isMeta: true }), toolResult, '{"type":"summary","summary":"x"}', '', '   ']);
    expect(state.prompts).toEqual([Date.parse('2026-04-08T14:00:00.000Z')]);
    expect(state.counts.lines).toBe(4);
  });

  it('accepts an empty file', () => {
    expect(parse([''])).toMatchObject({ responses: [], prompts: [], counts: { lines: 0, malformedLines: 0 } });
  });
});
