import { describe, expect, it } from 'vitest';
import { gemini, jsonl, legacyChat, meta, tokens, toolCall, user } from '../../../test/helpers/gemini-chats.js';
import { parseGeminiChat } from './parse.js';

const SESSION = '11111111-2222-4333-8444-555555555555';

describe('parseGeminiChat: legacy JSON', () => {
  it('reads each gemini message with tokens as one call, with its model, time, turn and tools', () => {
    const text = legacyChat(SESSION, [
      user('u1'),
      { id: 'i1', timestamp: '2026-05-04T10:00:30.000Z', type: 'info', content: 'Switched to fallback model' },
      gemini('g1', tokens(1000, 600, 20, 30), { toolCalls: [toolCall('read_file', { file_path: 'a.ts' })] }),
      gemini('g2', tokens(1100, 900, 40), { model: 'gemini-2.5-flash', timestamp: '2026-05-04T10:02:00.000Z' }),
      user('u2'),
      { id: 'e1', timestamp: '2026-05-04T10:03:00.000Z', type: 'error', content: '[API Error: No capacity available]' },
    ]);
    const chat = parseGeminiChat(text, '/h/.gemini/tmp/app/chats/session-2026-05-04T10-00-11111111.json');

    expect(chat).toMatchObject({ sessionId: SESSION, projectHash: 'a'.repeat(64), isSubagent: false });
    expect(chat.calls).toEqual([
      { messageId: 'g1', timestampMs: Date.parse('2026-05-04T10:01:00.000Z'), model: 'gemini-2.5-pro', tokens: tokens(1000, 600, 20, 30), tools: [{ name: 'read_file', phase: 'exploration' }], turn: 1 },
      { messageId: 'g2', timestampMs: Date.parse('2026-05-04T10:02:00.000Z'), model: 'gemini-2.5-flash', tokens: tokens(1100, 900, 40), tools: [], turn: 1 },
    ]);
    expect(chat.diagnostics).toEqual({ filesRead: 1, lines: 7, responses: 2, duplicateLines: 0, malformedLines: 0, skippedLines: 0, malformedSamples: [] });
  });

  it('names the line where a truncated file breaks off, and reads nothing of it', () => {
    const text = legacyChat(SESSION, [user('u1'), gemini('g1', tokens(10, 0, 1))]);
    const cut = text.slice(0, text.indexOf('"tokens"'));
    const chat = parseGeminiChat(cut, '/x/chats/session-a.json');
    expect(chat.calls).toEqual([]);
    expect(chat.diagnostics.malformedSamples).toEqual([`/x/chats/session-a.json:${cut.trimEnd().split('\n').length}: invalid JSON (truncated file?), no message of it can be read`]);
  });

  it('names the message and field of a bad record and keeps the others', () => {
    const text = legacyChat(SESSION, [gemini('g1', tokens(10, 0, 1)), gemini('g2', { ...tokens(10, 0, 1), input: 'many' } as never)]);
    const chat = parseGeminiChat(text, 'f.json');
    expect(chat.calls.map((call) => call.messageId)).toEqual(['g1']);
    expect(chat.diagnostics.malformedSamples).toEqual(['f.json: messages[1]: gemini message: tokens.input: expected number, received string']);
  });
});

describe('parseGeminiChat: append-only JSONL', () => {
  it('lets the last record of an id win, and ignores $set snapshots and $rewindTo markers', () => {
    const text = jsonl(
      meta(SESSION, { kind: 'main' }),
      user('u1'),
      gemini('g1', null),
      gemini('g1', tokens(500, 0, 10)),
      gemini('g1', tokens(500, 0, 10), { toolCalls: [toolCall('run_shell_command', { command: 'git status' })] }),
      { $set: { lastUpdated: '2026-05-04T10:02:00.000Z' } },
      // A snapshot re-listing the conversation, here with other tokens: it must not count.
      { $set: { messages: [user('u1'), gemini('g1', tokens(9999, 0, 9999)), gemini('g9', tokens(7777, 0, 7))] } },
      user('u2', 3),
      gemini('g2', tokens(800, 500, 30, 5), { timestamp: '2026-05-04T10:03:30.000Z' }),
      // Rewinding drops g2 from the conversation, but it was paid for.
      { $rewindTo: 'u2' },
      user('u3', 4),
      gemini('g3', tokens(700, 500, 20), { timestamp: '2026-05-04T10:04:30.000Z' }),
    );
    const chat = parseGeminiChat(text, 'c.jsonl');

    expect(chat.calls.map(({ messageId, tokens: { input, output }, tools, turn }) => ({ messageId, input, output, tools, turn }))).toEqual([
      { messageId: 'g1', input: 500, output: 10, tools: [{ name: 'run_shell_command', phase: 'git' }], turn: 1 },
      { messageId: 'g2', input: 800, output: 30, tools: [], turn: 2 },
      { messageId: 'g3', input: 700, output: 20, tools: [], turn: 3 },
    ]);
    expect(chat.diagnostics).toMatchObject({ lines: 12, responses: 3, duplicateLines: 2, malformedLines: 0, skippedLines: 0 });
  });

  it('takes the time from the first record that has one', () => {
    const text = jsonl(meta(SESSION), gemini('g1', null, { timestamp: undefined }), gemini('g1', tokens(100, 0, 5), { timestamp: '2026-05-04T10:01:05.000Z' }), gemini('g1', tokens(100, 0, 5), { timestamp: '2026-05-04T10:01:09.000Z' }));
    expect(parseGeminiChat(text, 'c.jsonl').calls.map((call) => call.timestampMs)).toEqual([Date.parse('2026-05-04T10:01:05.000Z')]);
  });

  it('keeps a call whose last record lost its tokens, and skips a response that never got any', () => {
    const text = jsonl(meta(SESSION), gemini('g1', tokens(100, 0, 5)), gemini('g1', null), gemini('g2', null));
    const chat = parseGeminiChat(text, 'c.jsonl');
    expect(chat.calls.map((call) => [call.messageId, call.tokens.input])).toEqual([['g1', 100]]);
    expect(chat.diagnostics).toMatchObject({ responses: 1, duplicateLines: 1, skippedLines: 1 });
  });

  it('counts and names malformed lines by file:line, and reads the rest', () => {
    const lines = jsonl(meta(SESSION), gemini('g1', tokens(100, 0, 5))).split('\n');
    const text = [
      lines[0],
      '{"id":"g0","type":"gemini","tokens":{"input":1', // truncated
      '42',
      lines[1],
      JSON.stringify(gemini('g2', tokens(10, 0, 1), { timestamp: 'yesterday' })),
      JSON.stringify(gemini('g3', tokens(10, 0, 1), { model: undefined })),
      JSON.stringify({ id: 'x', content: 'no type' }),
      '',
    ].join('\n');
    const chat = parseGeminiChat(text, '/h/chats/s.jsonl');

    expect(chat.calls.map((call) => call.messageId)).toEqual(['g1', 'g3']);
    // g3 names no model: the one recorded before it in the file prices it.
    expect(chat.calls[1]!.model).toBe('gemini-2.5-pro');
    expect(chat.diagnostics.malformedLines).toBe(4);
    expect(chat.diagnostics.malformedSamples).toEqual([
      '/h/chats/s.jsonl:2: invalid JSON (truncated line?)',
      '/h/chats/s.jsonl:3: not a JSON object',
      '/h/chats/s.jsonl:5: timestamp: not an ISO-8601 time: "yesterday", the response cannot be placed in time',
      '/h/chats/s.jsonl:7: message: type: expected string, received undefined',
    ]);
  });

  it('reports a call with no model anywhere in its file rather than guessing one', () => {
    const chat = parseGeminiChat(jsonl(meta(SESSION), gemini('g1', tokens(10, 0, 1), { model: undefined })), 's.jsonl');
    expect(chat.calls).toEqual([]);
    expect(chat.diagnostics.malformedSamples).toEqual(['s.jsonl:2: model: missing, the response cannot be priced']);
  });

  it('reads a subagent chat, and falls back to the file name for a chat without metadata', () => {
    expect(parseGeminiChat(jsonl(meta('sub-1', { kind: 'subagent' })), 'sub-1.jsonl')).toMatchObject({ sessionId: 'sub-1', isSubagent: true });
    expect(parseGeminiChat(jsonl(gemini('g1', tokens(1, 0, 1))), '/c/chats/p/agent-7.jsonl')).toMatchObject({ sessionId: 'agent-7', projectHash: null });
  });

  it('tells the formats apart by content when the name does not say', () => {
    expect(parseGeminiChat(legacyChat(SESSION, [gemini('g1', tokens(10, 0, 1))]), 'chat.txt').calls).toHaveLength(1);
    expect(parseGeminiChat(jsonl(meta(SESSION), gemini('g1', tokens(10, 0, 1))), 'chat.txt').calls).toHaveLength(1);
  });
});
