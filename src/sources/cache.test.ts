import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStoreWriter, loadFileStore, readCheckedSync, writeCheckedSync } from './cache.js';

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

describe('the file store', () => {
  const entry = (output: number) => ({ size: 10, mtimeMs: 1, offset: 10, lineCount: 1, head: 'h', state: { output } });

  it('gives back what was added, and nothing of a store another parser version wrote', () => {
    const writer = new FileStoreWriter<{ output: number }>(dir, 'store', 'p/1');
    writer.add('/a.jsonl', entry(5));
    writer.add('/b ünï.jsonl', entry(6));
    writer.commit();
    expect([...loadFileStore(dir, 'store', 'p/1')]).toEqual([
      ['/a.jsonl', entry(5)],
      ['/b ünï.jsonl', entry(6)],
    ]);
    expect(loadFileStore(dir, 'store', 'p/2').size).toBe(0);
  });

  it('keeps the old store until commit, and leaves no temporary file behind', async () => {
    const first = new FileStoreWriter<{ output: number }>(dir, 'kept', 'p/1');
    first.add('/a.jsonl', entry(5));
    first.commit();
    const second = new FileStoreWriter<{ output: number }>(dir, 'kept', 'p/1');
    second.add('/a.jsonl', entry(7));
    expect(loadFileStore(dir, 'kept', 'p/1').get('/a.jsonl')).toEqual(entry(5));
    second.commit();
    expect(loadFileStore(dir, 'kept', 'p/1').get('/a.jsonl')).toEqual(entry(7));
    expect((await readdir(dir)).filter((name) => name.includes('kept'))).toEqual(['kept.files.jsonl']);
  });

  it('goes quiet where it cannot write, without throwing', async () => {
    const blocked = path.join(dir, 'blocked');
    await writeFile(blocked, 'a file, not a folder');
    const writer = new FileStoreWriter<{ output: number }>(path.join(blocked, 'cache'), 'store', 'p/1');
    writer.add('/a.jsonl', entry(5));
    expect(() => writer.commit()).not.toThrow();
    expect(loadFileStore(path.join(blocked, 'cache'), 'store', 'p/1').size).toBe(0);
  });
});
