import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeSuiteTempDirs } from '../../test/helpers/git-repos.js';
import { ROOT } from '../../test/helpers/hook.js';
import { buildPartial } from '../aggregate/index.js';
import { buildSite, normalizePathPrefix, SiteFolderError } from './build.js';

afterAll(removeSuiteTempDirs);

describe('normalizePathPrefix', () => {
  it('makes the root `/` of an empty prefix or of slashes only', () => {
    expect(normalizePathPrefix('')).toBe('/');
    expect(normalizePathPrefix('/')).toBe('/');
    expect(normalizePathPrefix('//')).toBe('/');
    expect(normalizePathPrefix('  ')).toBe('/');
  });

  it('adds the leading and trailing slash Eleventy expects, once', () => {
    expect(normalizePathPrefix('repo')).toBe('/repo/');
    expect(normalizePathPrefix('/repo')).toBe('/repo/');
    expect(normalizePathPrefix('/repo/')).toBe('/repo/');
    expect(normalizePathPrefix('a/b/')).toBe('/a/b/');
    expect(normalizePathPrefix(' /tokenledger-demo// ')).toBe('/tokenledger-demo/');
    expect(normalizePathPrefix('My_Site.v2~x')).toBe('/My_Site.v2~x/');
  });

  it('rejects characters outside letters, digits, ".", "_", "~", "-" and "/", naming the prefix', () => {
    for (const prefix of ['my site', 'repo?x=1', 'a#b', '"><script>', 'ü', 'a\\b', '%2e%2e']) {
      expect(() => normalizePathPrefix(prefix)).toThrow(`path prefix ${JSON.stringify(prefix)}: use letters, digits`);
    }
  });
});

describe('buildSite output folder', () => {
  it('refuses to empty a folder that holds anything but an earlier site, and keeps its files', async () => {
    const partial = buildPartial([], { timezone: 'UTC', builtBy: 'test' });
    const options = (outDir: string) => ({ outDir, templatesDir: path.join(ROOT, 'site'), title: 't', pathPrefix: '/', timezone: 'UTC', developers: 'pseudonymous' as const, minGroupSize: 3, now: new Date('2026-06-30T00:00:00Z') });
    const checkout = await makeTempDir('tl-site-out-');
    await writeFile(path.join(checkout, 'README.md'), 'mine');
    await expect(buildSite(partial, [], options(checkout))).rejects.toThrow(SiteFolderError);
    expect(existsSync(path.join(checkout, 'README.md'))).toBe(true);
    // A new folder is built, and built again over itself.
    const site = path.join(checkout, '_site');
    await buildSite(partial, [], options(site));
    await writeFile(path.join(site, 'stale.html'), 'old');
    await buildSite(partial, [], options(site));
    expect(existsSync(path.join(site, 'index.html'))).toBe(true);
    expect(existsSync(path.join(site, 'stale.html'))).toBe(false);
  });
});
