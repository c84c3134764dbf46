import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inputSchema, parseInputs, readRawInputs, repositorySource, type InputContext } from './inputs.js';

const context: InputContext = { repository: 'acme/app', serverUrl: 'https://github.com', workspace: '/work/space', tempDir: '/tmp/runner' };

describe('parseInputs', () => {
  it('gives every default when all inputs are empty, reading the current repository from GitHub', () => {
    const options = parseInputs({}, context);
    expect(options).toEqual({
      command: 'report',
      repositories: [{ name: 'acme/app', url: 'https://github.com/acme/app.git', authenticated: true }],
      token: undefined,
      dataBranch: 'token-data',
      siteDir: '/work/space/_site',
      pathPrefix: '/',
      siteTitle: 'tokenledger',
      timezone: 'UTC',
      strategyWindowDays: 14,
      minSessions: 20,
      minGroupSize: 3,
      developers: 'pseudonymous',
      serverUrl: 'https://github.com',
      tempDir: '/tmp/runner',
      partialFile: '/work/space/tokenledger-partial.json',
      partials: [],
      previousPartial: undefined,
      workspace: '/work/space',
    });
  });

  it('accepts pr-comment, reading only the pull request\'s repository', () => {
    const options = parseInputs({ command: 'pr-comment' }, context);
    expect(options.command).toBe('pr-comment');
    expect(options.repositories).toEqual([{ name: 'acme/app', url: 'https://github.com/acme/app.git', authenticated: true }]);
    expect(() => parseInputs({ command: 'pr-comment', repositories: 'acme/other' }, context)).toThrow(/^input "repositories": pr-comment reads only/);
  });

  it('reads a shard for partial and partial files for merge, refusing inputs a command would ignore', () => {
    const shard = parseInputs({ command: 'partial', repositories: 'acme/a\nacme/b', 'partial-file': 'out/a.json', 'previous-partial': 'cache/a.json' }, context);
    expect([shard.repositories.map((source) => source.name), shard.partialFile, shard.previousPartial]).toEqual([['acme/a', 'acme/b'], '/work/space/out/a.json', '/work/space/cache/a.json']);
    const merge = parseInputs({ command: 'merge', partials: ' shards/*/p.json \n# a comment\n/abs/x.json' }, context);
    expect([merge.repositories, merge.partials]).toEqual([[], ['shards/*/p.json', '/abs/x.json']]);
    expect(() => parseInputs({ command: 'merge' }, context)).toThrow(/^input "partials": no partial file listed/);
    expect(() => parseInputs({ command: 'merge', partials: 'p.json', repositories: 'acme/a' }, context)).toThrow(/^input "repositories": merge reads no repository/);
    expect(() => parseInputs({ command: 'merge', partials: 'p.json', 'previous-partial': 'old.json' }, context)).toThrow(/^input "previous-partial"/);
    expect(() => parseInputs({ command: 'report', partials: 'p.json' }, context)).toThrow(/^input "partials": only merge/);
  });

  it('names the input whose value is invalid', () => {
    expect(() => parseInputs({ command: 'deploy' }, context)).toThrow(/^input "command"/);
    expect(() => parseInputs({ 'min-sessions': 'twenty' }, context)).toThrow(/^input "min-sessions": a whole number/);
    expect(() => parseInputs({ 'min-group-size': '0' }, context)).toThrow(/^input "min-group-size"/);
    expect(() => parseInputs({ timezone: 'Mars/Olympus' }, context)).toThrow(/^input "timezone"/);
    expect(() => parseInputs({ 'data-branch': '--upload-pack=evil' }, context)).toThrow(/^input "data-branch"/);
    expect(() => parseInputs({ 'data-branch': 'refs/heads/token-data' }, context)).toThrow(/^input "data-branch"/);
    expect(() => parseInputs({ developers: 'named' }, context)).toThrow(/^input "developers"/);
  });

  it('fails clearly when no repository is listed and GITHUB_REPOSITORY is unset', () => {
    expect(() => parseInputs({}, { ...context, repository: undefined })).toThrow(/input "repositories"/);
    expect(() => parseInputs({ repositories: '\n  \n# only a comment\n' }, context)).toThrow(/input "repositories": no repository/);
  });

  it('reads a newline list of repositories, trimming blanks', () => {
    const options = parseInputs({ repositories: ' acme/app \n\nacme/api\n./local/ledger\n' }, context);
    expect(options.repositories.map((source) => source.url)).toEqual(['https://github.com/acme/app.git', 'https://github.com/acme/api.git', '/work/space/local/ledger']);
  });
});

describe('repositorySource', () => {
  it('sends the token only to the GitHub server', () => {
    expect(repositorySource('acme/app', context)).toEqual({ name: 'acme/app', url: 'https://github.com/acme/app.git', authenticated: true });
    expect(repositorySource('https://github.com/acme/app.git', context).authenticated).toBe(true);
    expect(repositorySource('https://gitlab.example/acme/app.git', context).authenticated).toBe(false);
    expect(repositorySource('https://github.com.evil.example/acme/app.git', context).authenticated).toBe(false);
    expect(repositorySource('git@github.com:acme/app.git', context)).toEqual({ name: 'git@github.com:acme/app.git', url: 'git@github.com:acme/app.git', authenticated: false });
  });

  it('treats paths as local, relative to the workspace', () => {
    expect(repositorySource('/srv/git/app.git', context)).toEqual({ name: '/srv/git/app.git', url: '/srv/git/app.git', authenticated: false });
    expect(repositorySource('./app', context).url).toBe('/work/space/app');
    expect(repositorySource('../app', context).url).toBe('/work/app');
  });

  it('rejects a line git would read as an option, and credentials inside a URL', () => {
    expect(() => repositorySource('--upload-pack=touch /tmp/x', context)).toThrow(/not a repository/);
    expect(() => repositorySource('https://user:secret@github.com/acme/app.git', context)).toThrow(/token input, not in a URL/);
  });
});

describe('readRawInputs', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reads INPUT_<NAME> with hyphens kept, as the runner sets them, and treats empty as absent', () => {
    vi.stubEnv('INPUT_DATA-BRANCH', 'ledger');
    vi.stubEnv('INPUT_MIN-SESSIONS', ' 5 ');
    vi.stubEnv('INPUT_SITE-TITLE', '');
    const raw = readRawInputs();
    expect(raw['data-branch']).toBe('ledger');
    expect(raw['min-sessions']).toBe('5');
    expect('site-title' in raw).toBe(false);
  });
});

describe('action.yml', () => {
  const yaml = readFileSync(path.resolve(import.meta.dirname, '../../action.yml'), 'utf8');
  const inputsBlock = yaml.slice(yaml.indexOf('\ninputs:'), yaml.indexOf('\noutputs:'));
  /** `name: default` of each input (a simple two-level YAML block; no parser needed). */
  const declared = new Map<string, string | undefined>();
  let current = '';
  for (const line of inputsBlock.split('\n')) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line);
    if (name) declared.set((current = name[1]!), undefined);
    const value = /^ {4}default: '?([^']*)'?$/.exec(line);
    if (value && current) declared.set(current, value[1]);
  }

  it('declares exactly the inputs the code reads', () => {
    expect([...declared.keys()].sort()).toEqual(Object.keys(inputSchema.shape).sort());
  });

  it('documents the same defaults the code applies to empty inputs', () => {
    const applied = inputSchema.parse({});
    for (const [name, value] of declared) {
      if (value === undefined || name === 'token') continue;
      expect(String(applied[name as keyof typeof applied]), name).toBe(value);
    }
  });

  it('runs the committed bundle on node24', () => {
    expect(yaml).toMatch(/\nruns:\n {2}using: node24\n {2}main: dist\/index\.mjs\n/);
  });
});
