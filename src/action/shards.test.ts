import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloneWorkRepo, makeRemote, makeSummary, makeTempDir } from '../../test/helpers/git-repos.js';
import { buildPartial, PARTIAL_SCHEMA } from '../aggregate/index.js';
import { parsePartial } from '../aggregate/parse.js';
import { pushLedger } from '../ledger/push.js';
import { readSummaries, type StoredSummary } from '../ledger/read.js';
import { writeSummaries } from '../ledger/write.js';
import type { SessionSummary } from '../summary/schema.js';
import type { NightlyLog } from './collect.js';
import { parseInputs } from './inputs.js';
import { expandPartials } from './partial-files.js';
import { runPartial } from './shards.js';

/** A remote whose token-data branch holds `summaries`, written and pushed the way capture does. */
async function remoteWith(summaries: SessionSummary[]): Promise<{ remote: string; add: (more: SessionSummary[]) => Promise<void> }> {
  const remote = await makeRemote();
  const clone = await cloneWorkRepo(remote);
  const add = async (more: SessionSummary[]) => {
    await writeSummaries(clone, more);
    expect((await pushLedger(clone)).outcome).toBe('pushed');
  };
  await add(summaries);
  return { remote, add };
}

function quietLog(): NightlyLog & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warning: (message) => warnings.push(message), info: (message) => infos.push(message) };
}

/** readSummaries, counting the branches it reads. */
function countingReader() {
  const reads: string[] = [];
  /** Files read and checked (summaries and invalid ones), over every call. */
  let files = 0;
  const read: typeof readSummaries = async (dir, ref, options = {}) => {
    reads.push(ref ?? '');
    // Summaries handed over one by one (the Action streams them into its builder) count too.
    const { onSummary } = options;
    const counted = onSummary ? { ...options, onSummary: (stored: StoredSummary) => (files++, onSummary(stored)) } : options;
    const contents = await readSummaries(dir, ref, counted);
    files += contents.summaries.length + contents.invalid.length;
    return contents;
  };
  return { reads, read, files: () => files };
}

describe('parsePartial', () => {
  it('names the file when the text is not JSON', () => {
    expect(() => parsePartial('{"schema": ', 'shards/a/p.json')).toThrow(/^shards\/a\/p\.json: not JSON: /);
  });

  it('names the file and each field that breaks the schema', () => {
    const partial = buildPartial([], { timezone: 'UTC', builtBy: '0.1.0' });
    const bad = { ...partial, duplicateSessions: -1, sources: [{ repository: 'a', dataRef: 'token-data', tip: 'nope', files: 0, invalidFiles: 0 }] };
    let message = '';
    try {
      parsePartial(JSON.stringify(bad), 'p.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n').sort()).toEqual(['p.json: duplicateSessions: expected number to be >=0', 'p.json: sources[0].tip: a full commit SHA']);
  });

  it('reads a partial with and without the optional strategy events, refusing unknown keys in them', () => {
    const partial = buildPartial([], { timezone: 'UTC', builtBy: '0.1.0' });
    const source = { repository: 'a', dataRef: 'token-data', tip: null, files: 0, invalidFiles: 0 };
    const event = { sha: 'a'.repeat(40), at: 1, starts: ['index-first'], ends: [] };
    expect(parsePartial(JSON.stringify({ ...partial, sources: [source] }), 'p.json').sources[0]).toEqual(source);
    expect(parsePartial(JSON.stringify({ ...partial, sources: [{ ...source, strategyEvents: [event] }] }), 'p.json').schema).toBe(PARTIAL_SCHEMA);
    expect(() => parsePartial(JSON.stringify({ ...partial, sources: [{ ...source, strategyEvents: [{ ...event, invalid: [] }] }] }), 'p.json')).toThrow('p.json: sources[0].strategyEvents[0].invalid: unknown key');
  });
});

describe('runPartial with the previous partial', () => {
  it('reads no blobs of unchanged branches and gives the identical partial; a changed branch is read again', { timeout: 60_000 }, async () => {
    // The same session captured in both repositories: the newer capture wins across them.
    const a = await remoteWith([makeSummary({ sessionId: 'a-1' }), makeSummary({ sessionId: 'both', output: 10 })]);
    const b = await remoteWith([makeSummary({ sessionId: 'b-1' }), makeSummary({ sessionId: 'both', startedAt: '2026-05-04T11:00:00.000Z', output: 20 })]);
    const workspace = await makeTempDir('tl-shard-');
    const options = (raw: Record<string, string>) => parseInputs({ command: 'partial', repositories: `${a.remote}\n${b.remote}`, ...raw }, { serverUrl: 'https://github.com', workspace, tempDir: workspace });
    const run = async (raw: Record<string, string>) => {
      const reader = countingReader();
      const result = await runPartial({ ...options(raw), log: quietLog(), readSummaries: reader.read });
      return { result, reads: reader.reads.length, files: reader.files(), text: await readFile(result.partialFile, 'utf8') };
    };

    const first = await run({ 'partial-file': 'night1.json', 'previous-partial': 'missing.json' });
    expect(first.reads).toBe(2);
    expect([first.result.sessions, first.result.partial.duplicateSessions]).toEqual([3, 1]);

    const second = await run({ 'partial-file': 'night2.json', 'previous-partial': 'night1.json' });
    expect(second.reads).toBe(0);
    expect(second.result.reused).toEqual([a.remote, b.remote]);
    expect(second.text).toBe(first.text);

    await b.add([makeSummary({ sessionId: 'b-2', startedAt: '2026-05-05T10:00:00.000Z' })]);
    const third = await run({ 'partial-file': 'night3.json', 'previous-partial': 'night2.json' });
    expect([third.reads, third.result.reused]).toEqual([1, [a.remote]]);
    // Of the moved branch only the new file is read: its other files' rows come from night 2.
    expect(third.files).toBe(1);
    const full = await run({ 'partial-file': 'full.json' });
    expect(full.reads).toBe(2);
    expect(third.text).toBe(full.text);
    expect(third.result.sessions).toBe(4);
  });

  it('reads every branch, with a warning naming the file, when the previous partial is broken', async () => {
    const a = await remoteWith([makeSummary({ sessionId: 'c-1' })]);
    const workspace = await makeTempDir('tl-shard-');
    await writeFile(path.join(workspace, 'old.json'), '{"schema": "tokenledger.partial/0"}');
    const log = quietLog();
    const reader = countingReader();
    const options = parseInputs({ command: 'partial', repositories: a.remote, 'previous-partial': 'old.json' }, { serverUrl: 'https://github.com', workspace, tempDir: workspace });
    const result = await runPartial({ ...options, log, readSummaries: reader.read });
    expect([result.sessions, reader.reads.length]).toEqual([1, 1]);
    expect(log.warnings).toEqual([expect.stringContaining(`${path.join(workspace, 'old.json')}: schema: expected tokenledger.partial/2`)]);
  });
});

describe('expandPartials', () => {
  it('expands * and ** as download-artifact lays files out, and fails on a pattern that matches nothing', async () => {
    const dir = await makeTempDir('tl-glob-');
    for (const file of ['shards/part-1/p.json', 'shards/part-2/p.json', 'shards/part-2/.hidden.json', 'shards/part-3/deep/p.json', 'other.txt']) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), '{}');
    }
    const relative = async (patterns: string[]) => (await expandPartials(patterns, dir)).map((file) => path.relative(dir, file));
    expect(await relative(['shards/*/p.json'])).toEqual(['shards/part-1/p.json', 'shards/part-2/p.json']);
    expect(await relative(['shards/**/*.json', 'shards/part-1/p.json'])).toEqual(['shards/part-1/p.json', 'shards/part-2/p.json', 'shards/part-3/deep/p.json']);
    expect(await relative(['shards/part-?/p.json'])).toEqual(['shards/part-1/p.json', 'shards/part-2/p.json']);
    await expect(expandPartials(['shards/*/missing.json'], dir)).rejects.toThrow('input "partials": shards/*/missing.json matches no file');
  });
});
