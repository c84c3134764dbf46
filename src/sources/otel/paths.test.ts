import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOtelExportFiles, otelExportEntries } from './paths.js';

describe('otelExportEntries', () => {
  it('reads a comma-separated TOKENLEDGER_OTEL_EXPORTS with ~ and duplicates', () => {
    expect(otelExportEntries({ TOKENLEDGER_OTEL_EXPORTS: ' /data/otel.jsonl, ~/exports ,/data/otel.jsonl,', HOME: '/home/me' })).toEqual(['/data/otel.jsonl', '/home/me/exports']);
  });

  it('is empty when nothing is configured: exports have no standard place', () => {
    expect(otelExportEntries({ HOME: '/home/me' })).toEqual([]);
  });

  it('takes explicit paths (--otel) over the environment', () => {
    expect(otelExportEntries({ TOKENLEDGER_OTEL_EXPORTS: '/env', HOME: '/home/me' }, ['/flag'])).toEqual(['/flag']);
  });
});

describe('listOtelExportFiles', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tl-otel-paths-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists a named file whatever its name, and *.json / *.jsonl below a folder, once each', async () => {
    await mkdir(path.join(root, 'dir', 'rotated'), { recursive: true });
    for (const name of ['dir/b.jsonl', 'dir/rotated/a.json', 'dir/notes.txt', 'single.log']) await writeFile(path.join(root, name), '');
    const listing = listOtelExportFiles([path.join(root, 'dir'), path.join(root, 'single.log'), path.join(root, 'dir', 'b.jsonl'), path.join(root, 'gone')]);
    expect(listing.files.map((file) => path.relative(root, file.path))).toEqual(['dir/b.jsonl', 'dir/rotated/a.json', 'single.log']);
    expect(listing.missing).toEqual([path.join(root, 'gone')]);
  });
});
