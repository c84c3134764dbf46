import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadReport, reportKey, saveReport } from './report-cache.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tl-reports-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stored reports', () => {
  it('keys a report by all of its parts', () => {
    const parts = { options: { kind: 'daily' }, inputs: [['/a.jsonl', 10, 1]] };
    expect(reportKey(parts)).toBe(reportKey(structuredClone(parts)));
    expect(reportKey({ ...parts, inputs: [['/a.jsonl', 10, 2]] })).not.toBe(reportKey(parts));
    expect(reportKey({ ...parts, options: { kind: 'weekly' } })).not.toBe(reportKey(parts));
  });

  it('gives back what was stored, keeps the newest eight, and misses on a damaged file', async () => {
    for (let i = 0; i < 10; i++) saveReport(dir, `k${i}`, { report: i });
    expect(loadReport(dir, 'k9')).toEqual({ report: 9 });
    expect(loadReport(dir, 'k2')).toEqual({ report: 2 });
    expect(loadReport(dir, 'k1')).toBeUndefined();
    expect(loadReport(dir, 'k0')).toBeUndefined();
    await writeFile(path.join(dir, 'reports.json'), 'not a checked file');
    expect(loadReport(dir, 'k9')).toBeUndefined();
    saveReport(dir, 'k10', { report: 10 });
    expect(loadReport(dir, 'k10')).toEqual({ report: 10 });
  });
});
