import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikeJsonObject, readLines } from './jsonl.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tl-jsonl-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(text: string, start = 0, startLine = 0) {
  const file = path.join(dir, `f${Math.random()}.jsonl`);
  await writeFile(file, text);
  const lines: [string, number, boolean][] = [];
  const result = readLines(file, start, startLine, (line, n, complete) => lines.push([line.toString(), n, complete]));
  return { lines, result };
}

describe('readLines', () => {
  it('strips CRLF line ends and reports where complete lines end', async () => {
    const { lines, result } = await collect('{"a":1}\r\n{"b":2}\r\n');
    expect(lines).toEqual([
      ['{"a":1}', 1, true],
      ['{"b":2}', 2, true],
    ]);
    expect(result).toEqual({ completeEnd: 18, completeLines: 2 });
  });

  it('hands out a last line without a newline as incomplete, outside completeEnd', async () => {
    const { lines, result } = await collect('{"a":1}\n{"b":');
    expect(lines.at(-1)).toEqual(['{"b":', 2, false]);
    expect(result.completeEnd).toBe(8);
  });

  it('resumes from an offset with continuing line numbers', async () => {
    const { lines } = await collect('{"a":1}\n{"b":2}\n', 8, 1);
    expect(lines).toEqual([['{"b":2}', 2, true]]);
  });

  it('reads lines longer than its read buffer whole', async () => {
    const long = `{"text":"${'x'.repeat(3 << 20)}"}`;
    const { lines } = await collect(`${long}\n{"b":2}\n`);
    expect(lines.map(([text]) => text.length)).toEqual([long.length, 7]);
  });

  it('reads file after file with its one buffer, also after a line outgrew it', async () => {
    const long = `{"text":"${'y'.repeat(9 << 20)}"}`;
    expect((await collect(`${long}\n{"a":1}\n`)).lines.map(([text]) => text.length)).toEqual([long.length, 7]);
    const { lines } = await collect('{"b":2}\n{"c":3}');
    expect(lines).toEqual([
      ['{"b":2}', 1, true],
      ['{"c":3}', 2, false],
    ]);
  });

  it('reads an empty file as no lines', async () => {
    expect((await collect('')).lines).toEqual([]);
  });
});

describe('looksLikeJsonObject', () => {
  it('tells a whole object line from a truncated one', () => {
    expect(looksLikeJsonObject(Buffer.from(' {"a":1} '))).toBe(true);
    expect(looksLikeJsonObject(Buffer.from('{"a":'))).toBe(false);
    expect(looksLikeJsonObject(Buffer.from('[1]'))).toBe(false);
  });
});
