import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckedSync, writeCheckedSync } from './cache.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tl-cache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeCheckedSync / readCheckedSync', () => {
  it('reads back a body written in pieces, multi-byte characters included', async () => {
    const file = path.join(dir, 'nested', 'pieces.json');
    const value = { name: 'café ☕ 𝄞', list: [1, 2, 3] };
    const text = JSON.stringify(value);
    writeCheckedSync(file, [text.slice(0, 9), text.slice(9, 20), '', text.slice(20)]);
    expect(readCheckedSync(file)).toEqual(value);
    // The same bytes as one piece would give.
    const whole = path.join(dir, 'whole.json');
    writeCheckedSync(whole, [text]);
    expect(await readFile(file, 'utf8')).toBe(await readFile(whole, 'utf8'));
  });

  it('gives undefined for a missing, altered or cut-short file', async () => {
    const file = path.join(dir, 'altered.json');
    expect(readCheckedSync(file)).toBeUndefined();
    writeCheckedSync(file, [JSON.stringify({ output: 5 })]);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('5', '6'));
    expect(readCheckedSync(file)).toBeUndefined();
    await writeFile(file, text.slice(0, -2));
    expect(readCheckedSync(file)).toBeUndefined();
  });
});
