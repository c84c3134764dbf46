import { describe, expect, it } from 'vitest';
import { gemini, jsonl, meta, PROJECT_HASH, tokens } from '../../../test/helpers/gemini-chats.js';
import { usageEventSchema } from '../event-schema.js';
import { mergeGeminiChats, type ReadChat } from './merge.js';
import { parseGeminiChat } from './parse.js';

const SESSION = '11111111-2222-4333-8444-555555555555';
const HASH_FOLDER = PROJECT_HASH;

function read(project: string, name: string, text: string, parentSessionId: string | null = null): ReadChat {
  const file = `/h/.gemini/tmp/${project}/chats/${parentSessionId ? `${parentSessionId}/` : ''}${name}`;
  return { file: { path: file, project, parentSessionId }, chat: parseGeminiChat(text, file) };
}

describe('mergeGeminiChats', () => {
  it('maps Gemini token fields: cached is read from cache, tool prompt is input, thoughts are output', () => {
    const { events } = mergeGeminiChats([read('app', 'session-a.jsonl', jsonl(meta(SESSION), gemini('g1', tokens(1000, 600, 20, 30, 7))))]);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.tokens).toEqual({ input: 407, output: 50, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 600 });
    expect(event!.reasoningOutput).toBe(30);
    // Nothing lost or added: the sum is Gemini's own total.
    expect(event!.tokens.input + event!.tokens.output + event!.tokens.cacheRead).toBe(tokens(1000, 600, 20, 30, 7).total);
    expect(event).toMatchObject({ agent: 'gemini', sessionId: SESSION, project: 'app', requestKey: `gemini:${SESSION}:g1`, isSidechain: false, agentId: null, speed: 'standard' });
    usageEventSchema.parse(event);
  });

  it('never lets a cached count above the input make input negative', () => {
    const { events } = mergeGeminiChats([read('app', 'session-a.jsonl', jsonl(meta(SESSION), gemini('g1', { ...tokens(100, 0, 5), cached: 150 })))]);
    expect(events[0]!.tokens).toMatchObject({ input: 0, cacheRead: 100 });
  });

  it('counts a call found in two files once, and names a hash folder after the named folder of the same root', () => {
    const text = jsonl(meta(SESSION), gemini('g1', tokens(100, 0, 5)), gemini('g2', tokens(200, 100, 5)));
    const merged = mergeGeminiChats([read(HASH_FOLDER, 'session-a.jsonl', text), read('app', 'session-a.jsonl', text)]);
    expect(merged.events.map((event) => [event.requestKey, event.project])).toEqual([
      [`gemini:${SESSION}:g1`, 'app'],
      [`gemini:${SESSION}:g2`, 'app'],
    ]);
    expect(merged.duplicates).toBe(2);
  });

  it('names a hash folder from projects.json, and keeps the hash when no name is known', () => {
    const chat = read(HASH_FOLDER, 'session-a.jsonl', jsonl(meta(SESSION), gemini('g1', tokens(100, 0, 5))));
    expect(mergeGeminiChats([chat], new Map([[HASH_FOLDER, 'named']])).events[0]!.project).toBe('named');
    expect(mergeGeminiChats([chat]).events[0]!.project).toBe(HASH_FOLDER);
  });

  it('files subagent calls under the parent session, as a sidechain with the subagent id', () => {
    const sub = read('app', 'sub-7.jsonl', jsonl(meta('sub-7', { kind: 'subagent' }), gemini('s1', tokens(50, 0, 5))), SESSION);
    const { events } = mergeGeminiChats([sub]);
    expect(events[0]).toMatchObject({ sessionId: SESSION, isSidechain: true, agentId: 'sub-7', requestKey: 'gemini:sub-7:s1' });
  });
});
