import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeSuiteTempDirs } from '../../test/helpers/git-repos.js';
import { summary } from '../../test/helpers/summaries.js';
import { buildPartial } from './build.js';
import { PartialError } from './errors.js';
import { readPartialFile, writePartialFile } from './partial-file.js';

afterAll(removeSuiteTempDirs);

const partial = buildPartial(
  ['acme/app', 'acme/web'].map((repository, r) => ({
    repository,
    dataRef: 'token-data',
    tip: null,
    invalidFiles: r,
    summaries: Array.from({ length: 5 }, (_, i) => summary({ session: `${repository}-${i}`, developer: `dev-${i % 2}`, startedAt: `2026-05-0${i + 1}T10:00:00Z`, endedAt: `2026-05-0${i + 1}T11:00:00Z` })),
  })),
  { timezone: 'UTC', builtBy: '0.1.0' },
);

async function written(value = partial): Promise<{ file: string; text: string }> {
  const file = path.join(await makeTempDir('tl-partial-file-'), 'partial.json');
  await writePartialFile(file, value);
  return { file, text: await readFile(file, 'utf8') };
}

describe('partial files', () => {
  it('read back what was written, and are one JSON document', async () => {
    const { file, text } = await written();
    expect(await readPartialFile(file)).toEqual(partial);
    expect(JSON.parse(text)).toEqual(partial);
  });

  it('put each row on a line of its own, so no line is longer than a row', async () => {
    const { text } = await written();
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + partial.daily.length + 1 + partial.sessions.length + 1);
    expect(lines[0]).toMatch(/^\{"schema":"tokenledger\.partial\/2".*,"daily":\[$/);
    expect(lines.at(-1)).toBe(']}');
  });

  it('leave the daily rows out when asked, for callers that derive them again', async () => {
    const { file } = await written();
    expect(partial.daily.length).toBeGreaterThan(0);
    expect(await readPartialFile(file, { daily: false })).toEqual({ ...partial, daily: [] });
  });

  it('read an empty partial and one without daily rows', async () => {
    const empty = buildPartial([], { timezone: 'UTC', builtBy: '0.1.0' });
    expect(await readPartialFile((await written(empty)).file)).toEqual(empty);
  });

  it('name the file, line and field of a damaged row', async () => {
    const { file, text } = await written();
    const lines = text.split('\n');
    const sessionLine = lines.indexOf('],"sessions":[') + 2; // 1-based number of the first session row
    lines[sessionLine - 1] = lines[sessionLine - 1]!.replace(/"requests":\d+/, '"requests":-1');
    await writeFile(file, lines.join('\n'));
    await expect(readPartialFile(file)).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${sessionLine}: requests`));
  });

  it('say when a file is cut short, or is not JSON', async () => {
    const { file, text } = await written();
    await writeFile(file, text.slice(0, text.indexOf('],"sessions":[')));
    await expect(readPartialFile(file)).rejects.toThrow(/cut short/);
    await writeFile(file, `${text.split('\n')[0]}\n{not json\n`);
    await expect(readPartialFile(file)).rejects.toThrow(/:2: not JSON/);
    await expect(readPartialFile(path.join(path.dirname(file), 'missing.json'))).rejects.toThrow(PartialError);
  });

  it('still read a partial written whole on one line (as earlier versions did)', async () => {
    const { file } = await written();
    await writeFile(file, `${JSON.stringify(partial)}\n`);
    expect(await readPartialFile(file)).toEqual(partial);
  });
});
