import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDiagnostics, type UsageEvent } from './events.js';
import { loadSnapshot, saveSnapshot, type FileFingerprint } from './snapshot.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tl-snapshot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function event(i: number): UsageEvent {
  return {
    agent: 'claude-code',
    sessionId: `sess-${i % 7}`,
    project: '-home-dev-app',
    // Keys without a message id name the file: UTF-8 of several bytes, and a pair of UTF-16 units.
    requestKey: i % 9 === 0 ? `line:/home/josé/🦊/s.jsonl:${i}` : `msg_${i}\u0000req_${i}`,
    timestampMs: 1_777_000_000_000 + i * 1000,
    model: i % 2 ? 'claude-opus-4-6' : 'claude-haiku-4-5',
    tokens: { input: i, output: 2 * i, cacheWrite5m: 3, cacheWrite1h: 0, cacheRead: 1e9 + i },
    reasoningOutput: 0,
    webSearchRequests: i % 3,
    isSidechain: i % 5 === 0,
    agentId: i % 5 === 0 ? `agent-${i}` : null,
    tools: i % 4 === 0 ? [] : [{ name: 'Bash', phase: 'testing' }, { name: 'Read', phase: 'exploration' }],
    turn: i % 11,
    speed: i % 13 === 0 ? 'fast' : 'standard',
    agentVersion: i % 2 ? '2.1.0' : null,
    entrypoint: 'cli',
    gitBranch: i % 3 ? 'main' : null,
  };
}

describe('saveSnapshot / loadSnapshot', () => {
  const files: FileFingerprint[] = [['/p/a.jsonl', 10, 1], ['/p/b.jsonl', 20, 2]];

  it('gives back the events of the same files, across many written pieces', async () => {
    // 8,000 events: the columns of references and numbers span several pieces.
    const events = Array.from({ length: 8000 }, (_, i) => event(i));
    const diagnostics = { ...emptyDiagnostics(), filesRead: 2, responses: events.length };
    await saveSnapshot(dir, 'big', 'test/1', files, events, diagnostics);
    expect(await loadSnapshot(dir, 'big', 'test/1', files)).toEqual({ events, diagnostics });
  });

  it('answers nothing for other files, another parser or no events written', async () => {
    await saveSnapshot(dir, 'small', 'test/1', files, [], emptyDiagnostics());
    expect(await loadSnapshot(dir, 'small', 'test/1', files)).toEqual({ events: [], diagnostics: emptyDiagnostics() });
    expect(await loadSnapshot(dir, 'small', 'test/1', [files[0]!])).toBeUndefined();
    expect(await loadSnapshot(dir, 'small', 'test/1', [files[0]!, ['/p/b.jsonl', 21, 2]])).toBeUndefined();
    expect(await loadSnapshot(dir, 'small', 'test/2', files)).toBeUndefined();
  });
});
