import { describe, expect, it } from 'vitest';
import { normalizePathPrefix } from './build.js';

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
