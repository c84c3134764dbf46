import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayKeyIn } from '../../dates.js';
import { REAL_FIXTURES, hasRealFixtures } from '../../../test/helpers/real-fixtures.js';
import { jsonlFilesBelow } from '../../../test/helpers/damage.js';
import { assistantLines, writeTranscript } from '../../../test/helpers/transcripts.js';
import { checkStatsCaches, parseStatsCache, StatsCacheError } from './stats-cache.js';

describe('parseStatsCache', () => {
  it('keeps the fields it compares and lets the others through', () => {
    const cache = parseStatsCache(JSON.stringify({ version: 2, lastComputedDate: '2026-02-13', dailyModelTokens: [{ date: '2026-02-13', tokensByModel: { m: 72 } }], hourCounts: { 10: 2 } }), 'stats-cache.json');
    expect(cache).toMatchObject({ lastComputedDate: '2026-02-13', dailyModelTokens: [{ date: '2026-02-13', tokensByModel: { m: 72 } }], hourCounts: { 10: 2 } });
  });

  it('names the file and field at fault', () => {
    expect(() => parseStatsCache('{"dailyModelTokens":[{"date":"13/02/2026","tokensByModel":{"m":-1}}]}', '/c/stats-cache.json')).toThrow(
      new StatsCacheError('/c/stats-cache.json: dailyModelTokens[0].date: expected YYYY-MM-DD\n/c/stats-cache.json: dailyModelTokens[0].tokensByModel.m: expected number to be >=0'),
    );
    expect(() => parseStatsCache('{"version": 2,', '/c/stats-cache.json')).toThrow(/^\/c\/stats-cache.json: not JSON/);
  });
});

describe('checkStatsCaches', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tl-stats-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('compares each config folder\'s cache with that folder\'s transcripts; a folder without one is left out', async () => {
    const [withCache, without, broken] = ['a', 'b', 'c'].map((name) => path.join(root, name));
    await writeTranscript(withCache!, 'projects/-app/s1.jsonl', assistantLines({ sessionId: 's1', timestamp: '2026-05-02T09:00:00Z', messageId: 'msg_1', requestId: 'req_1', usage: { input: 10, output: 190, cacheRead: 999 }, blocks: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }));
    await writeTranscript(without!, 'projects/-app/s2.jsonl', assistantLines({ sessionId: 's2', timestamp: '2026-05-02T09:00:00Z', messageId: 'msg_2', requestId: 'req_2', usage: { input: 1, output: 1 }, blocks: [{ type: 'text', text: 'a' }] }));
    await writeFile(path.join(withCache!, 'stats-cache.json'), JSON.stringify({ lastComputedDate: '2026-05-02', dailyModelTokens: [{ date: '2026-05-02', tokensByModel: { 'claude-opus-4-6': 200 } }] }));
    await mkdir(broken!, { recursive: true });
    await writeFile(path.join(broken!, 'stats-cache.json'), '{"dailyModelTokens": 3}');
    const checks = await checkStatsCaches({ env: { CLAUDE_CONFIG_DIR: [withCache, without, broken].join(','), HOME: root }, timeZone: 'UTC', cacheDir: null });
    expect(checks.map((check) => [check.file, check.reconciliation?.verdict ?? check.error])).toEqual([
      [path.join(withCache!, 'stats-cache.json'), 'consistent'],
      [path.join(broken!, 'stats-cache.json'), `${path.join(broken!, 'stats-cache.json')}: dailyModelTokens: expected array, received number`],
    ]);
  });
});

describe.skipIf(!hasRealFixtures)('checkStatsCaches on the real Eiji1202 cache and transcripts', () => {
  const dir = path.join(REAL_FIXTURES, 'claude-code', 'Eiji1202__dotclaude');

  it('finds the gaps the published files hold, in the owner\'s time zone (UTC+9, from hourCounts)', async () => {
    const [check] = await checkStatsCaches({ env: { CLAUDE_CONFIG_DIR: dir }, timeZone: 'Asia/Tokyo', cacheDir: null });
    const result = check!.reconciliation!;
    expect(result.lastComputedDate).toBe('2026-02-13');
    expect(result.rows.map((row) => [row.day, row.model, row.cache, row.transcripts, row.kind])).toEqual([
      // Haiku ran only in subagents, which Claude Code 2.1.37/2.1.39 left out of the cache.
      ['2026-02-12', 'claude-haiku-4-5-20251001', 0, 20, 'cache-lower'],
      // The cache also holds session 3f9394bc's main transcript, absent from the published files.
      ['2026-02-12', 'claude-opus-4-6', 330, 225, 'cache-higher'],
      ['2026-02-12', 'claude-sonnet-4-5-20250929', 2373, 0, 'cache-higher'],
      ['2026-02-13', 'claude-haiku-4-5-20251001', 0, 11, 'cache-lower'],
      // Every streamed line counted: see the next test.
      ['2026-02-13', 'claude-opus-4-6', 72, 42, 'cache-higher'],
    ]);
    expect(result.totals).toEqual({ cache: 2775, transcripts: 298 });
  });

  it('explains 2026-02-13: the cache\'s 72 is input + output summed over every line of the main transcripts', async () => {
    const tokyo = dayKeyIn('Asia/Tokyo');
    let perLine = 0;
    for (const file of await jsonlFilesBelow(path.join(dir, 'projects'))) {
      if (file.includes(`${path.sep}subagents${path.sep}`)) continue;
      for (const text of (await readFile(file, 'utf8')).split('\n').filter(Boolean)) {
        const line = JSON.parse(text);
        if (line.type !== 'assistant' || tokyo(Date.parse(line.timestamp)) !== '2026-02-13') continue;
        perLine += line.message.usage.input_tokens + line.message.usage.output_tokens;
      }
    }
    expect(perLine).toBe(72); // six lines of two responses, (3 + 9) each; the responses themselves hold 24
  });
});
