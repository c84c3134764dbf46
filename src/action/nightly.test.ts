import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloneWorkRepo, makeRemote, makeSummary, makeTempDir, plantBranch } from '../../test/helpers/git-repos.js';
import { partialSchema } from '../aggregate/index.js';
import { git } from '../ledger/git.js';
import { summaryPath } from '../ledger/paths.js';
import { parseInputs } from './inputs.js';
import { runNightlyReport, type NightlyLog } from './nightly.js';

function recordingLog(): NightlyLog & { warnings: { message: string; file?: string }[] } {
  const warnings: { message: string; file?: string }[] = [];
  return { warnings, warning: (message, properties) => warnings.push({ message, ...(properties.file ? { file: properties.file } : {}) }), info: () => undefined };
}

async function options(repositories: string[], raw: Record<string, string> = {}) {
  const dir = await makeTempDir('tl-nightly-');
  return parseInputs({ repositories: repositories.join('\n'), 'site-dir': 'site', ...raw }, { serverUrl: 'https://github.com', workspace: dir, tempDir: dir });
}

describe('runNightlyReport', () => {
  it('skips an invalid file with one warning naming repository and path, and aggregates the rest', async () => {
    const remote = await makeRemote();
    const good = { ...makeSummary({ sessionId: 'nightly-1' }), developer: 'dev_0123456789abcdef' };
    await plantBranch(remote, { [summaryPath(good)]: JSON.stringify(good), 'sessions/2026/05/04/ses_0123456789ab.json': '{"broken"' });
    const log = recordingLog();
    const report = await runNightlyReport({ ...(await options([remote])), log });
    expect(report.sessions).toBe(1);
    expect(report.invalidFiles).toEqual([{ repository: remote, path: 'sessions/2026/05/04/ses_0123456789ab.json', reason: expect.stringMatching(/^not JSON/) }]);
    expect(log.warnings).toEqual([{ message: expect.stringContaining(`${remote}: sessions/2026/05/04/ses_0123456789ab.json`), file: 'sessions/2026/05/04/ses_0123456789ab.json' }]);
    const written = partialSchema.parse(JSON.parse(await readFile(report.partialFile, 'utf8')));
    expect(written).toEqual(report.partial);
    expect(written.sessions[0]!.developer).toBe('dev_0123456789abcdef');
    expect(written.sources[0]).toMatchObject({ repository: remote, files: 1, invalidFiles: 1 });
  });

  it('leaves developers out of the partial when developers is off', async () => {
    const remote = await makeRemote();
    const good = { ...makeSummary({ sessionId: 'nightly-2' }), developer: 'dev_0123456789abcdef' };
    await plantBranch(remote, { [summaryPath(good)]: JSON.stringify(good) });
    const report = await runNightlyReport({ ...(await options([remote], { developers: 'off' })), log: recordingLog() });
    expect(report.partial.sessions.map((row) => row.developer)).toEqual([null]);
    expect(report.partial.daily.every((row) => row.developer === null)).toBe(true);
  });

  it('counts a repository without the data branch as no sessions, with a warning, and escapes its name in the summary', async () => {
    const root = await makeTempDir('tl-hostile-');
    const hostile = path.join(root, '<b onmouseover=x>&repo|');
    await git(root, ['init', '-q', '--bare', hostile]);
    const log = recordingLog();
    const report = await runNightlyReport({ ...(await options([hostile])), log });
    expect(report.sessions).toBe(0);
    expect(report.missingBranch).toEqual([hostile]);
    expect(log.warnings).toEqual([{ message: expect.stringContaining('has no token-data branch') }]);
    expect(report.summaryMarkdown).toContain('&#60;b onmouseover=x&#62;&#38;repo&#124;');
    expect(report.summaryMarkdown).not.toContain('<b ');
    expect(report.summaryMarkdown).toContain('<table>');
  });

  it('judges a Token-Strategy trailer on the default branch, writes experiments.json and warns about an unreadable default branch', async () => {
    const treated = await makeRemote();
    const repo = await cloneWorkRepo(treated);
    await git(repo, ['commit', '-q', '--allow-empty', '-m', 'try it\n\nToken-Strategy: index-first']);
    await git(repo, ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
    const start = Date.parse(await git(repo, ['log', '-1', '--format=%cI']));
    const before = { ...makeSummary({ sessionId: 'nightly-exp-1', startedAt: new Date(start - 86_400_000).toISOString() }), developer: 'dev_0123456789abcdef' };
    await plantBranch(treated, { [summaryPath(before)]: JSON.stringify(before) });
    const damaged = await makeRemote();
    await writeFile(path.join(damaged, 'refs/heads/damaged'), `${'1234567890'.repeat(4)}\n`);
    await git(damaged, ['symbolic-ref', 'HEAD', 'refs/heads/damaged']);

    const log = recordingLog();
    const report = await runNightlyReport({ ...(await options([treated, damaged])), log, now: new Date(start + 60_000) });
    expect(report.experiments.map((experiment) => [experiment.slug, experiment.repositories.map((entry) => entry.repository)])).toEqual([['index-first', [treated]]]);
    // The damaged repository is no control: its default branch could not be read.
    expect(report.experiments[0]!.controlRepositories).toEqual([]);
    expect(report.experiments[0]!.metrics.map((comparison) => [comparison.metric, comparison.status, comparison.nBefore, comparison.nAfter])).toEqual([
      ['totalTokens', 'insufficient-data', 1, 0],
      ['costUSD', 'insufficient-data', 1, 0],
    ]);
    expect(report.unreadableDefaultBranch).toEqual([damaged]);
    expect(log.warnings.filter((warning) => warning.message.includes('default branch not readable'))).toEqual([{ message: expect.stringContaining(damaged) }]);
    const written = JSON.parse(await readFile(report.experimentsFile, 'utf8'));
    expect(written.experiments).toEqual(JSON.parse(JSON.stringify(report.experiments)));
    expect(report.summaryMarkdown).toContain('<td>index-first</td>');
    expect(report.summaryMarkdown).toMatch(/insufficient data&#58; before&#58; 1 sessions/);
    expect(report.summaryMarkdown).toContain('observational');
  });
});
