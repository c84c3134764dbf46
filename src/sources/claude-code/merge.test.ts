import { describe, expect, it } from 'vitest';
import type { Phase } from '../phase.js';
import { ResponseMerger } from './merge.js';
import { emptyTranscriptState } from './parse.js';
import type { FileOutcome } from './read-file.js';
import type { ResponseRecord } from './schema.js';

function record(key: string, output: number, tools: [id: string, name: string, phase: Phase][], final = true): ResponseRecord {
  return {
    key,
    timestampMs: 1_777_000_000_000,
    model: 'claude-sonnet-4-5',
    tokens: { input: 10, output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
    webSearchRequests: 0,
    final,
    isSidechain: false,
    agentId: null,
    sessionId: 'sess-1',
    version: '2.1.0',
    entrypoint: 'cli',
    gitBranch: null,
    speed: 'standard',
    tools: tools.map(([id, name, phase]) => ({ id, name, phase })),
    lines: 1,
  };
}

function outcome(file: string, project: string, responses: ResponseRecord[], prompts: number[] = []): FileOutcome {
  const state = { ...emptyTranscriptState(), responses, prompts };
  state.counts.lines = responses.length;
  return { file: { path: file, project, pathSessionId: 'sess-1', pathAgentId: null, size: 1, mtimeMs: 1 }, state, stored: null, storedIsState: true };
}

function merge(...outcomes: FileOutcome[]) {
  const merger = new ResponseMerger();
  for (const each of outcomes) merger.add(each);
  const events = merger.takeEvents();
  return { events, diagnostics: merger.diagnostics };
}

describe('ResponseMerger', () => {
  it('keeps the better snapshot of a response seen in two files, with the tool calls of both', () => {
    const early = outcome('/p/a.jsonl', 'proj-a', [record('k', 3, [['toolu_2', 'Read', 'exploration']], false)]);
    const late = outcome('/p/b.jsonl', 'proj-b', [record('k', 40, [['toolu_1', 'Edit', 'execution']])], [0]);
    for (const order of [[early, late], [late, early]]) {
      const { events, diagnostics } = merge(...order);
      expect(events).toHaveLength(1);
      // The winner's usage, project and turn; calls of both, sorted by tool_use id.
      expect(events[0]).toMatchObject({ requestKey: 'k', project: 'proj-b', turn: 1, tokens: { output: 40 } });
      expect(events[0]!.tools).toEqual([{ name: 'Edit', phase: 'execution' }, { name: 'Read', phase: 'exploration' }]);
      expect(diagnostics).toMatchObject({ filesRead: 2, responses: 1, duplicateLines: 1 });
    }
  });

  it('lets the winner decide a call both snapshots have, and the smaller path a full tie', () => {
    const a = outcome('/p/a.jsonl', 'proj-a', [record('k', 5, [['toolu_1', 'Bash', 'testing']])]);
    const b = outcome('/p/b.jsonl', 'proj-b', [record('k', 5, [['toolu_1', 'Bash', 'git'], ['toolu_0', 'Grep', 'exploration']])]);
    for (const order of [[a, b], [b, a]]) {
      const [event] = merge(...order).events;
      expect(event).toMatchObject({ project: 'proj-a' });
      expect(event!.tools).toEqual([{ name: 'Grep', phase: 'exploration' }, { name: 'Bash', phase: 'testing' }]);
    }
  });

  it('gives each response of one file its own event, with equal tool lists shared', () => {
    const { events } = merge(outcome('/p/a.jsonl', 'p', [record('x', 1, [['t1', 'Read', 'exploration']]), record('y', 2, [['t2', 'Read', 'exploration']]), record('z', 3, [])]));
    expect(events.map((e) => e.requestKey)).toEqual(['x', 'y', 'z']);
    expect(events[0]!.tools).toBe(events[1]!.tools);
    expect(events[2]!.tools).toEqual([]);
  });

  it('counts an unreadable file and goes on', () => {
    const merger = new ResponseMerger();
    merger.add({ file: outcome('/p/a.jsonl', 'p', []).file, failure: '/p/a.jsonl: cannot be read (EACCES)' });
    merger.add(outcome('/p/b.jsonl', 'p', [record('x', 1, [])]));
    expect(merger.takeEvents()).toHaveLength(1);
    expect(merger.diagnostics).toMatchObject({ filesRead: 1, malformedLines: 1, malformedSamples: ['/p/a.jsonl: cannot be read (EACCES)'] });
  });
});
