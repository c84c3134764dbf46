import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { developerId, hashedBranch, roundTime, summaryBranch } from './anonymize.js';
import { sessionSummarySchema } from './schema.js';

const KEY = 'team-secret';

describe('developerId', () => {
  it('is dev_ and the first 12 hex of HMAC-SHA256(key, e-mail)', () => {
    const expected = createHmac('sha256', KEY).update('alice@example.com').digest('hex').slice(0, 12);
    expect(developerId('alice@example.com', KEY)).toBe(`dev_${expected}`);
  });

  it('gives the same id for the same e-mail and key, whatever the case and surrounding spaces', () => {
    const id = developerId('alice@example.com', KEY);
    expect(developerId('alice@example.com', KEY)).toBe(id);
    expect(developerId('  Alice@Example.COM\n', KEY)).toBe(id);
  });

  it('gives different ids for different keys and for different e-mails', () => {
    expect(developerId('alice@example.com', 'other-key')).not.toBe(developerId('alice@example.com', KEY));
    expect(developerId('bob@example.com', KEY)).not.toBe(developerId('alice@example.com', KEY));
  });

  it('matches the summary schema and never contains the e-mail', () => {
    const id = developerId('alice@example.com', KEY);
    expect(sessionSummarySchema.shape.developer.safeParse(id).success).toBe(true);
    expect(id).toMatch(/^dev_[0-9a-f]{12}$/);
    expect(id).not.toContain('alice');
  });
});

describe('hashedBranch', () => {
  it('is br_ and 12 hex of HMAC-SHA256(key, "branch:" + name)', () => {
    const expected = createHmac('sha256', KEY).update('branch:feature/login').digest('hex').slice(0, 12);
    expect(hashedBranch('feature/login', KEY)).toBe(`br_${expected}`);
  });

  it('is deterministic, case-sensitive, and differs by key', () => {
    expect(hashedBranch('main', KEY)).toBe(hashedBranch('main', KEY));
    expect(hashedBranch('Main', KEY)).not.toBe(hashedBranch('main', KEY));
    expect(hashedBranch('main', 'other-key')).not.toBe(hashedBranch('main', KEY));
  });

  it('never equals the developer id of the same text under the same key', () => {
    expect(hashedBranch('x', KEY).slice(3)).not.toBe(developerId('x', KEY).slice(4));
  });

  it('matches the summary schema', () => {
    const id = hashedBranch('feature/login', KEY);
    expect(id).toMatch(/^br_[0-9a-f]{12}$/);
    expect(sessionSummarySchema.shape.branch.safeParse(id).success).toBe(true);
  });
});

describe('summaryBranch', () => {
  it('hashes by default and keeps the plain name where the repository opts in', () => {
    expect(summaryBranch('feature/login', KEY, 'hashed')).toBe(hashedBranch('feature/login', KEY));
    expect(summaryBranch('feature/login', KEY, 'plain')).toBe('feature/login');
  });

  it('hashes a plain name too long for the summary instead of cutting it', () => {
    const long = `feature/${'x'.repeat(200)}`;
    expect(summaryBranch(long, KEY, 'plain')).toBe(hashedBranch(long, KEY));
  });

  it('keeps an unknown branch null', () => {
    expect(summaryBranch(null, KEY, 'hashed')).toBeNull();
    expect(summaryBranch('', KEY, 'plain')).toBeNull();
  });
});

describe('roundTime (re-exported from summarize.ts)', () => {
  it('rounds down to the resolution', () => {
    const ms = Date.parse('2026-05-04T10:37:42.123Z');
    expect(roundTime(ms, 'minute')).toBe('2026-05-04T10:37:00Z');
    expect(roundTime(ms, 'hour')).toBe('2026-05-04T10:00:00Z');
    expect(roundTime(ms, 'day')).toBe('2026-05-04T00:00:00Z');
  });
});
