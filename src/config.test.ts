import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cloneRepo, createRepo, makeTempDir, removeTempDirs } from '../test/helpers/trailer-repos.js';
import { CONFIG_FILE, DEFAULT_CONFIG, isValidBranchName, loadRepoConfig, parseRepoConfig, resolveAnonymizationKey } from './config.js';
import { AnonymizationKeyError, ConfigError } from './errors.js';
import { git } from './ledger/git.js';
import { sessionSummarySchema } from './summary/schema.js';

afterEach(async () => {
  vi.unstubAllEnvs();
  await removeTempDirs();
});

async function repoWithConfig(text: string): Promise<string> {
  const root = await makeTempDir('tl-config-');
  await writeFile(path.join(root, CONFIG_FILE), text);
  return root;
}

/** The ConfigError `load` throws (fails the test if it does not throw one). */
async function configError(load: Promise<unknown>): Promise<ConfigError> {
  const error = await load.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadRepoConfig', () => {
  it('gives the defaults when there is no .tokenledger.json', async () => {
    const config = await loadRepoConfig(await makeTempDir());
    expect(config).toEqual({ branchNames: 'hashed', timeResolution: 'hour', dataBranch: 'token-data', remote: 'origin', strategyTrailer: 'Token-Strategy' });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(config.category).toBeUndefined();
  });

  it('fills the fields a file leaves out with the defaults', async () => {
    const root = await repoWithConfig('{ "branchNames": "plain", "category": "backend" }\n');
    expect(await loadRepoConfig(root)).toEqual({ ...DEFAULT_CONFIG, branchNames: 'plain', category: 'backend' });
  });

  it('reads every field', async () => {
    const settings = { branchNames: 'plain', timeResolution: 'day', category: 'web.app_2', dataBranch: 'metrics/tokens', remote: 'upstream', strategyTrailer: 'Experiment' };
    expect(await loadRepoConfig(await repoWithConfig(JSON.stringify(settings, null, 2)))).toEqual(settings);
  });

  it('accepts a byte-order mark and an editor $schema hint', async () => {
    const root = await repoWithConfig('\uFEFF{ "$schema": "https://example.com/s.json", "timeResolution": "minute" }');
    expect((await loadRepoConfig(root)).timeResolution).toBe('minute');
  });

  it('names the file and the field with the accepted values for a bad enum', async () => {
    const error = await configError(loadRepoConfig(await repoWithConfig('{ "timeResolution": "week" }')));
    expect(error.message).toBe('.tokenledger.json: timeResolution: expected one of minute, hour, day');
    expect(error.file).toBe('.tokenledger.json');
    expect(error.problems).toEqual([{ field: 'timeResolution', message: 'expected one of minute, hour, day' }]);
  });

  it('names every bad field, one line each', async () => {
    const text = JSON.stringify({ branchNames: 'secret', category: 'has space', dataBranch: 'bad..name', remote: '--receive-pack=evil', strategyTrailer: 'Token Strategy' });
    const error = await configError(loadRepoConfig(await repoWithConfig(text)));
    expect(error.message).toBe(
      [
        '.tokenledger.json: branchNames: expected one of hashed, plain',
        '.tokenledger.json: category: expected a slug (letters, digits, ".", "_", "-")',
        '.tokenledger.json: dataBranch: expected a valid branch name (see git check-ref-format)',
        '.tokenledger.json: remote: expected a valid remote name (see git check-ref-format)',
        '.tokenledger.json: strategyTrailer: expected a trailer key (letters, digits and "-")',
      ].join('\n'),
    );
  });

  it('says what type was expected', async () => {
    const error = await configError(loadRepoConfig(await repoWithConfig('{ "category": 7, "remote": null }')));
    expect(error.message).toBe(['.tokenledger.json: category: expected string, received number', '.tokenledger.json: remote: expected string, received null'].join('\n'));
  });

  it('limits the category to what a summary accepts', async () => {
    const error = await configError(loadRepoConfig(await repoWithConfig(JSON.stringify({ category: 'x'.repeat(61) }))));
    expect(error.message).toBe('.tokenledger.json: category: expected at most 60 characters');
    for (const category of ['backend', 'web.app_2', 'A-b', 'x'.repeat(60), 'has space', 'ü', '', 'x'.repeat(61)]) {
      const inConfig = (() => {
        try {
          parseRepoConfig(JSON.stringify({ category }));
          return true;
        } catch {
          return false;
        }
      })();
      expect(inConfig, category).toBe(sessionSummarySchema.shape.category.safeParse(category).success);
    }
  });

  it('rejects unknown keys by name', async () => {
    const error = await configError(loadRepoConfig(await repoWithConfig('{ "timeresolution": "day", "branchNames": "plain", "extra": 1 }')));
    expect(error.message).toBe(['.tokenledger.json: timeresolution: unknown key', '.tokenledger.json: extra: unknown key'].join('\n'));
  });

  it('rejects a file that is not an object', async () => {
    const error = await configError(loadRepoConfig(await repoWithConfig('["hour"]')));
    expect(error.message).toBe('.tokenledger.json: expected object, received array');
  });

  it('gives the line and column of a JSON syntax error', async () => {
    const trailingComma = await configError(loadRepoConfig(await repoWithConfig('{\n  "branchNames": "plain",\n}\n')));
    expect(trailingComma.message).toBe(`.tokenledger.json:3:1: invalid JSON: expected a property name in double quotes, found "}"`);
    expect([trailingComma.line, trailingComma.column]).toEqual([3, 1]);
    expect(trailingComma.cause).toBeInstanceOf(SyntaxError);

    const missingComma = await configError(loadRepoConfig(await repoWithConfig('{\n  "branchNames": "plain"\n  "remote": "origin"\n}')));
    expect(missingComma.message).toBe(`.tokenledger.json:3:3: invalid JSON: expected ',' or '}', found "\\""`);

    const singleQuotes = await configError(loadRepoConfig(await repoWithConfig("{ 'remote': 'origin' }")));
    expect(singleQuotes.message).toBe(`.tokenledger.json:1:3: invalid JSON: expected a property name in double quotes, found "'"`);

    const truncated = await configError(loadRepoConfig(await repoWithConfig('{ "remote": "ori')));
    expect(truncated.message).toBe('.tokenledger.json:1:17: invalid JSON: unterminated string');

    const empty = await configError(loadRepoConfig(await repoWithConfig('')));
    expect(empty.message).toBe('.tokenledger.json:1:1: invalid JSON: expected a value, found end of file');

    const trailingText = await configError(loadRepoConfig(await repoWithConfig('{}\n// comment')));
    expect(trailingText.message).toBe('.tokenledger.json:2:1: invalid JSON: expected end of file, found "/"');
  });

  it('names the file when it cannot be read', async () => {
    const root = await makeTempDir();
    await mkdir(path.join(root, CONFIG_FILE));
    const error = await configError(loadRepoConfig(root));
    expect(error.message).toMatch(/^\.tokenledger\.json: cannot be read \(EISDIR/);
    expect(error.cause).toBeDefined();
  });
});

describe('isValidBranchName', () => {
  it('agrees with git check-ref-format --branch, and refuses a leading dash', async () => {
    const dir = await makeTempDir();
    const names = ['token-data', 'metrics/tokens', 'a.b', 'origin', 'feature/x-1', 'bad..name', 'a b', 'a:b', 'a~1', 'a^', 'a?', 'a*', 'a[1', 'a\\b', 'x.lock', 'a/.hidden', '.hidden', 'end.', 'end/', '/start', 'a//b', 'a@{1}', 'a@b', 'tab\there'];
    for (const name of names) {
      const byGit = await git(dir, ['check-ref-format', '--branch', name]).then(
        () => true,
        () => false,
      );
      expect(isValidBranchName(name), name).toBe(byGit);
    }
    expect(isValidBranchName('-x')).toBe(false);
    expect(isValidBranchName('--receive-pack=evil')).toBe(false);
    // git reads these as the current branch; as a configured name they mean nothing.
    expect(isValidBranchName('HEAD')).toBe(false);
    expect(isValidBranchName('@')).toBe(false);
    expect(isValidBranchName('')).toBe(false);
  });
});

describe('resolveAnonymizationKey', () => {
  /** A HOME without a .gitconfig, so the machine's git configuration plays no part. */
  async function isolateHome(): Promise<string> {
    const home = await makeTempDir('tl-home-');
    vi.stubEnv('HOME', home);
    vi.stubEnv('XDG_CONFIG_HOME', path.join(home, '.config'));
    return home;
  }

  async function repoWithHistory() {
    const repo = await createRepo();
    await repo.commit({ message: 'first', at: '2026-01-05T09:00:00Z', files: { 'a.txt': 'a\n' } });
    await repo.commit({ message: 'second', at: '2026-01-06T09:00:00Z', files: { 'a.txt': 'b\n' } });
    return repo;
  }

  it('takes TOKENLEDGER_KEY first, then git config tokenledger.key, then the fallback', async () => {
    await isolateHome();
    const repo = await repoWithHistory();
    await repo.git(['config', 'tokenledger.key', 'from-git']);
    expect(await resolveAnonymizationKey(repo.dir, { TOKENLEDGER_KEY: ' from-env ' })).toEqual({ key: 'from-env', source: 'env' });
    expect(await resolveAnonymizationKey(repo.dir, { TOKENLEDGER_KEY: '' })).toEqual({ key: 'from-git', source: 'git-config' });
    expect(await resolveAnonymizationKey(repo.dir, {})).toEqual({ key: 'from-git', source: 'git-config' });
    await repo.git(['config', '--unset', 'tokenledger.key']);
    expect((await resolveAnonymizationKey(repo.dir, {})).source).toBe('fallback');
  });

  it('reads the key from the global git configuration too', async () => {
    const home = await isolateHome();
    await writeFile(path.join(home, '.gitconfig'), '[tokenledger]\n\tkey = from-global\n');
    const repo = await repoWithHistory();
    expect(await resolveAnonymizationKey(repo.dir, {})).toEqual({ key: 'from-global', source: 'git-config' });
  });

  it('derives the same fallback in every clone and on every branch, and a different one elsewhere', async () => {
    await isolateHome();
    const repo = await repoWithHistory();
    const original = await resolveAnonymizationKey(repo.dir, {});
    expect(original.source).toBe('fallback');
    expect(original.key).toMatch(/^[0-9a-f]{64}$/);
    expect(original.key).not.toContain(await repo.git(['rev-list', '--max-parents=0', 'HEAD']));

    const clone = await cloneRepo(repo);
    await clone.git(['checkout', '-q', '-b', 'feature']);
    await clone.commit({ message: 'on a branch', at: '2026-01-07T09:00:00Z' });
    expect(await resolveAnonymizationKey(clone.dir, {})).toEqual(original);

    const other = await createRepo();
    await other.commit({ message: 'first', at: '2026-01-05T09:00:00Z', files: { 'b.txt': 'b\n' } });
    expect((await resolveAnonymizationKey(other.dir, {})).key).not.toBe(original.key);
  });

  it('keeps the fallback when an unrelated history is merged in', async () => {
    await isolateHome();
    const repo = await repoWithHistory();
    const before = await resolveAnonymizationKey(repo.dir, {});
    await repo.git(['checkout', '-q', '--orphan', 'imported']);
    await repo.git(['rm', '-q', '-rf', '.']);
    await repo.commit({ message: 'older import', at: '2020-01-01T00:00:00Z', files: { 'lib.txt': 'lib\n' } });
    await repo.git(['checkout', '-q', 'main']);
    await repo.git(['-c', 'user.name=A', '-c', 'user.email=a@example.com', 'merge', '-q', '--allow-unrelated-histories', '--no-edit', 'imported']);
    expect(await resolveAnonymizationKey(repo.dir, {})).toEqual(before);
  });

  it('refuses to guess a fallback in a repository without commits or a shallow clone', async () => {
    await isolateHome();
    const empty = await createRepo();
    await expect(resolveAnonymizationKey(empty.dir, {})).rejects.toThrow(AnonymizationKeyError);
    await expect(resolveAnonymizationKey(empty.dir, {})).rejects.toThrow(/no commits yet.*TOKENLEDGER_KEY/);

    const shallow = await cloneRepo(await repoWithHistory(), { depth: 1 });
    await expect(resolveAnonymizationKey(shallow.dir, {})).rejects.toThrow(/shallow/);
    expect(await resolveAnonymizationKey(shallow.dir, { TOKENLEDGER_KEY: 'k' })).toEqual({ key: 'k', source: 'env' });
  });
});
