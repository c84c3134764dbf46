import { describe, expect, it } from 'vitest';
import { claimFiles, InOrder, type ReadJob } from './parallel.js';
import type { FileOutcome } from './read-file.js';
import type { TranscriptFile } from './paths.js';

function file(name: string): TranscriptFile {
  return { path: `/p/${name}.jsonl`, project: 'p', pathSessionId: name, pathAgentId: null, size: 1, mtimeMs: 1 };
}

describe('claimFiles', () => {
  it('hands each file to exactly one of the threads sharing the counter', () => {
    const job: ReadJob = { files: ['a', 'b', 'c', 'd', 'e'].map(file), stored: [], caching: false, next: new Int32Array(new SharedArrayBuffer(4)) };
    const [one, two] = [claimFiles(job), claimFiles(job)];
    expect([one.next().value, two.next().value, two.next().value, one.next().value]).toEqual([0, 1, 2, 3]);
    expect([...one, ...two]).toEqual([4]);
  });
});

describe('InOrder', () => {
  it('delivers outcomes in file order whatever order they arrive in', () => {
    const delivered: string[] = [];
    const inOrder = new InOrder((outcome) => delivered.push(outcome.file.pathSessionId));
    const outcome = (name: string): FileOutcome => ({ file: file(name), failure: 'x' });
    inOrder.put([2, outcome('c')]);
    inOrder.put([1, outcome('b')]);
    expect(delivered).toEqual([]);
    inOrder.put([0, outcome('a')]);
    expect(delivered).toEqual(['a', 'b', 'c']);
    inOrder.put([4, outcome('e')]);
    inOrder.put([3, outcome('d')]);
    expect(delivered).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
