import { afterEach, describe, expect, it } from 'vitest';
import { cloneRepo, createRepo, removeTempDirs, toMs } from '../../test/helpers/trailer-repos.js';
import { activeStrategies, defaultBranchRef, readStrategyEvents, type StrategyEvent } from './trailers.js';

afterEach(removeTempDirs);

describe('readStrategyEvents', () => {
  it('reads starts and ends, oldest first, at the committer date', async () => {
    const repo = await createRepo();
    await repo.commit({ message: 'init', at: '2026-03-01T09:00:00Z' });
    const start = await repo.commit({ message: 'Adopt plan mode\n\nToken-Strategy: plan-first', at: '2026-03-02T09:00:00Z' });
    await repo.commit({ message: 'unrelated work', at: '2026-03-03T09:00:00Z' });
    const end = await repo.commit({ message: 'Back to normal\n\nToken-Strategy-End: plan-first', at: '2026-03-04T09:00:00Z' });

    expect(await readStrategyEvents(repo.dir, { ref: 'main' })).toEqual([
      { sha: start, at: toMs('2026-03-02T09:00:00Z'), starts: ['plan-first'], ends: [], invalid: [] },
      { sha: end, at: toMs('2026-03-04T09:00:00Z'), starts: [], ends: ['plan-first'], invalid: [] },
    ]);
  });

  it('matches the keys case-insensitively and normalizes the slugs', async () => {
    const repo = await createRepo();
    const sha = await repo.commit({ message: 'x\n\ntoken-strategy: Small-PRs \nTOKEN-STRATEGY-END: plan-first', at: '2026-03-02T09:00:00Z' });
    expect(await readStrategyEvents(repo.dir, { ref: 'HEAD' })).toEqual([{ sha, at: toMs('2026-03-02T09:00:00Z'), starts: ['small-prs'], ends: ['plan-first'], invalid: [] }]);
  });

  it('reads several values in one commit: repeated trailers, comma lists and folded lines', async () => {
    const repo = await createRepo();
    const message = [
      'Two experiments at once',
      '',
      'Token-Strategy: plan-first',
      'Signed-off-by: Alice Example <alice@example.com>',
      'Token-Strategy: small-prs, cheap-model,',
      'Token-Strategy:',
      '  folded-slug',
      'Token-Strategy: plan-first',
      'Token-Strategy-End: old-one',
      'Token-Strategy-End: older',
    ].join('\n');
    await repo.commit({ message, at: '2026-03-02T09:00:00Z' });
    const [event] = await readStrategyEvents(repo.dir, { ref: 'main' });
    expect(event?.starts).toEqual(['plan-first', 'small-prs', 'cheap-model', 'folded-slug']);
    expect(event?.ends).toEqual(['old-one', 'older']);
    expect(event?.invalid).toEqual([]);
  });

  it('reports invalid values without throwing and keeps the valid ones', async () => {
    const repo = await createRepo();
    const sha = await repo.commit({
      message: 'x\n\nToken-Strategy: Plan First!\nToken-Strategy: good-one, -bad\nToken-Strategy-End: ' + 'x'.repeat(64),
      at: '2026-03-02T09:00:00Z',
    });
    expect(await readStrategyEvents(repo.dir, { ref: 'main' })).toEqual([
      {
        sha,
        at: toMs('2026-03-02T09:00:00Z'),
        starts: ['good-one'],
        ends: [],
        invalid: [
          { trailer: 'Token-Strategy', value: 'Plan First!' },
          { trailer: 'Token-Strategy', value: 'good-one, -bad' },
          { trailer: 'Token-Strategy-End', value: 'x'.repeat(64) },
        ],
      },
    ]);
  });

  it('ignores what git does not take as a trailer: body text, other keys, squashed inner trailers', async () => {
    const repo = await createRepo();
    await repo.commit({ message: 'Mention\n\nWe might try Token-Strategy: in-body later.\nToken-Strategy: mixed-block', at: '2026-03-01T09:00:00Z' });
    await repo.commit({ message: 'Other key\n\nToken-Strategyx: nope\nToken-Strategy-Ended: nope', at: '2026-03-02T09:00:00Z' });
    // GitHub's squash message: inner messages concatenated, the inner trailer is now mid-message.
    await repo.commit({
      message: 'Feature (#12)\n\n* first step\n\nToken-Strategy: squashed-inner\n\n* second step\n\nCo-authored-by: Bob Example <bob@example.com>',
      at: '2026-03-03T09:00:00Z',
    });
    expect(await readStrategyEvents(repo.dir, { ref: 'main' })).toEqual([]);
  });

  it('reads only commits with a committer date at or after `since`', async () => {
    const repo = await createRepo();
    await repo.commit({ message: 'a\n\nToken-Strategy: early', at: '2026-03-01T09:00:00Z' });
    await repo.commit({ message: 'b\n\nToken-Strategy: on-the-bound', at: '2026-03-02T09:00:00Z' });
    await repo.commit({ message: 'c\n\nToken-Strategy: late', at: '2026-03-03T09:00:00Z' });
    const events = await readStrategyEvents(repo.dir, { ref: 'main', since: toMs('2026-03-02T09:00:00Z') });
    expect(events.map((event) => event.starts[0])).toEqual(['on-the-bound', 'late']);
  });

  it('reads only the history of the given ref', async () => {
    const repo = await createRepo();
    await repo.commit({ message: 'a\n\nToken-Strategy: landed', at: '2026-03-01T09:00:00Z' });
    await repo.git(['checkout', '-q', '-b', 'feature']);
    await repo.commit({ message: 'b\n\nToken-Strategy: not-landed', at: '2026-03-02T09:00:00Z' });
    expect((await readStrategyEvents(repo.dir, { ref: 'refs/heads/main' })).flatMap((event) => event.starts)).toEqual(['landed']);
    expect((await readStrategyEvents(repo.dir, { ref: 'HEAD' })).flatMap((event) => event.starts)).toEqual(['landed', 'not-landed']);
  });

  it('uses a configured trailer key and its -End', async () => {
    const repo = await createRepo();
    await repo.commit({ message: 'a\n\nExperiment: plan-first\nToken-Strategy: ignored', at: '2026-03-01T09:00:00Z' });
    await repo.commit({ message: 'b\n\nexperiment-end: plan-first', at: '2026-03-02T09:00:00Z' });
    const events = await readStrategyEvents(repo.dir, { ref: 'main', trailer: 'Experiment' });
    expect(events.map(({ starts, ends }) => ({ starts, ends }))).toEqual([
      { starts: ['plan-first'], ends: [] },
      { starts: [], ends: ['plan-first'] },
    ]);
    await expect(readStrategyEvents(repo.dir, { ref: 'main', trailer: 'a,b)' })).rejects.toThrow(/trailer key/);
  });

  it('gives [] for a repository without commits and for a missing ref', async () => {
    const repo = await createRepo();
    expect(await readStrategyEvents(repo.dir, { ref: 'HEAD' })).toEqual([]);
    expect(await readStrategyEvents(repo.dir, { ref: 'refs/remotes/origin/main' })).toEqual([]);
  });
});

describe('activeStrategies', () => {
  const at = (iso: string) => toMs(iso);
  const event = (iso: string, starts: string[], ends: string[] = []): StrategyEvent => ({ sha: 'f'.repeat(40), at: at(iso), starts, ends, invalid: [] });
  const events = [
    event('2026-03-02T09:00:00Z', ['plan-first']),
    event('2026-03-03T09:00:00Z', ['cheap-model']),
    event('2026-03-04T09:00:00Z', ['small-prs'], ['plan-first']),
    event('2026-03-05T09:00:00Z', ['plan-first'], ['plan-first', 'never-started']),
  ];

  it('is empty before the first start', () => {
    expect(activeStrategies(events, at('2026-03-02T08:59:59Z'))).toEqual([]);
    expect(activeStrategies([], at('2026-03-02T09:00:00Z'))).toEqual([]);
  });

  it('counts a start at exactly the time', () => {
    expect(activeStrategies(events, at('2026-03-02T09:00:00Z'))).toEqual(['plan-first']);
  });

  it('gives every running experiment, sorted', () => {
    expect(activeStrategies(events, at('2026-03-03T12:00:00Z'))).toEqual(['cheap-model', 'plan-first']);
  });

  it('drops an experiment from its end on, exactly at the end included', () => {
    expect(activeStrategies(events, at('2026-03-04T09:00:00Z'))).toEqual(['cheap-model', 'small-prs']);
  });

  it('restarts a slug ended and started in one commit, and ignores ending one never started', () => {
    expect(activeStrategies(events, at('2026-03-06T00:00:00Z'))).toEqual(['cheap-model', 'plan-first', 'small-prs']);
  });

  it('does not depend on the order of the events given', () => {
    expect(activeStrategies([...events].reverse(), at('2026-03-04T12:00:00Z'))).toEqual(['cheap-model', 'small-prs']);
  });

  it('answers from commits read from git', async () => {
    const repo = await createRepo();
    await repo.commit({ message: 'a\n\nToken-Strategy: plan-first', at: '2026-03-02T09:00:00Z' });
    await repo.commit({ message: 'b\n\nToken-Strategy-End: plan-first', at: '2026-03-04T09:00:00Z' });
    const read = await readStrategyEvents(repo.dir, { ref: 'main' });
    expect(activeStrategies(read, at('2026-03-03T00:00:00Z'))).toEqual(['plan-first']);
    expect(activeStrategies(read, at('2026-03-05T00:00:00Z'))).toEqual([]);
  });
});

describe('defaultBranchRef', () => {
  it('follows refs/remotes/<remote>/HEAD in a clone', async () => {
    const origin = await createRepo('trunk');
    await origin.commit({ message: 'init', at: '2026-03-01T09:00:00Z' });
    const clone = await cloneRepo(origin);
    await clone.git(['checkout', '-q', '-b', 'feature']);
    expect(await defaultBranchRef(clone.dir, 'origin')).toBe('refs/remotes/origin/trunk');
  });

  it('falls back to <remote>/main, then a local main or master, then HEAD', async () => {
    const origin = await createRepo();
    await origin.commit({ message: 'init', at: '2026-03-01T09:00:00Z' });
    const clone = await cloneRepo(origin);
    await clone.git(['remote', 'set-head', 'origin', '--delete']);
    await clone.git(['checkout', '-q', '-b', 'feature']);
    expect(await defaultBranchRef(clone.dir, 'origin')).toBe('refs/remotes/origin/main');
    expect(await defaultBranchRef(clone.dir, 'upstream')).toBe('refs/heads/main');

    const master = await createRepo('master');
    await master.commit({ message: 'init', at: '2026-03-01T09:00:00Z' });
    expect(await defaultBranchRef(master.dir, 'origin')).toBe('refs/heads/master');

    const other = await createRepo('develop');
    await other.commit({ message: 'init', at: '2026-03-01T09:00:00Z' });
    expect(await defaultBranchRef(other.dir, 'origin')).toBe('HEAD');
    expect(await defaultBranchRef((await createRepo('develop')).dir, 'origin')).toBe('HEAD');
  });

  it('skips a remote HEAD that points to a branch no longer there', async () => {
    const origin = await createRepo();
    await origin.commit({ message: 'init', at: '2026-03-01T09:00:00Z' });
    const clone = await cloneRepo(origin);
    await clone.git(['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/gone']);
    expect(await defaultBranchRef(clone.dir, 'origin')).toBe('refs/remotes/origin/main');
  });
});
