import { describe, expect, it } from 'vitest';
import { parseSummaryPath, remoteTipRef, summaryPath, trackingRef } from './paths.js';

describe('summaryPath and parseSummaryPath', () => {
  it('files a session under the UTC day it started', () => {
    expect(summaryPath({ id: 'ses_0123456789abcdef01234567', startedAt: '2026-05-04T23:00:00Z' })).toBe('sessions/2026/05/04/ses_0123456789abcdef01234567.json');
    expect(summaryPath({ id: 'ses_0123456789ab', startedAt: '2026-12-31T00:00:00.000Z' })).toBe('sessions/2026/12/31/ses_0123456789ab.json');
  });

  it('reads the id and date back from a path', () => {
    expect(parseSummaryPath('sessions/2026/05/04/ses_0123456789abcdef01234567.json')).toEqual({ id: 'ses_0123456789abcdef01234567', date: '2026-05-04' });
  });

  it.each([
    'sessions/2026/05/04/README.md',
    'sessions/2026/05/ses_0123456789abcdef.json',
    'archive/2026-05.jsonl',
    'sessions/2026/05/04/ses_0123456789ABCDEF.json',
    'sessions/2026/05/04/ses_0123456789abcdef.json.bak',
    'x/sessions/2026/05/04/ses_0123456789abcdef.json',
  ])('gives undefined for %s', (path) => {
    expect(parseSummaryPath(path)).toBeUndefined();
  });
});

describe('refs for a remote', () => {
  it('keeps our record of the remote tip apart from the remote-tracking ref', () => {
    expect(remoteTipRef('origin', 'refs/heads/token-data')).toBe('refs/tokenledger/remotes/origin/token-data');
    expect(trackingRef('upstream', 'refs/heads/token-data')).toBe('refs/remotes/upstream/token-data');
  });
});
