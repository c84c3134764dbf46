import { describe, expect, it } from 'vitest';
import { siteContext } from '../../../test/helpers/site.js';
import { summary } from '../../../test/helpers/summaries.js';
import { csvCell, dataFiles } from './data.js';

describe('csvCell', () => {
  it('leaves plain text and numbers as they are', () => {
    expect(csvCell('acme/web')).toBe('acme/web');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(1234)).toBe('1234');
    expect(csvCell(0.125)).toBe('0.125');
  });

  it('quotes text with commas, quotes or line breaks, doubling the quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
  });

  it('puts an apostrophe before text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('=1,2')).toBe('"\'=1,2"');
  });
});

/** The CSV's rows as objects (no cell of these tests holds a comma or a quote). */
function parseCsv(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trimEnd().split('\r\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i]!, cell])));
}

describe('dataFiles', () => {
  const day = '2026-06-20T10:00:00Z';
  const sonnet = (input: number, costUSD: number) => [{ model: 'claude-sonnet-4-6', requests: 2, tokens: { input, output: 10, cacheRead: 100 }, costUSD }];
  const repositories = () => ({
    'acme/web': [
      summary({ developer: 'alice', startedAt: day, models: sonnet(1000, 0.25) }),
      summary({ developer: 'bob', startedAt: day, models: sonnet(3000, 0.5) }),
      summary({ developer: 'bob', startedAt: day, models: [{ model: 'claude-haiku-4-5', tokens: { input: 7 } }] }),
      summary({ developer: 'carol', startedAt: '2026-06-21T10:00:00Z', agent: 'codex', models: [{ model: 'gpt-5', tokens: { input: 50 }, costUSD: null }] }),
    ],
    'acme/api': [summary({ developer: 'alice', startedAt: day, models: sonnet(5, 0.01) })],
  });

  it('sums developers away: one row per day, repository, model and agent', () => {
    const { rows } = dataFiles(siteContext(repositories()));
    const web = rows.find((row) => row.repository === 'acme/web' && row.model === 'claude-sonnet-4-6')!;
    expect(web).toEqual({ date: '2026-06-20', repository: 'acme/web', model: 'claude-sonnet-4-6', agent: 'claude-code', sessions: 2, requests: 4, input: 4000, output: 20, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 200, total: 4220, costUSD: 0.75, unpricedRequests: 0 });
    expect(rows.map((row) => `${row.date} ${row.repository} ${row.model} ${row.agent}`)).toEqual([
      '2026-06-20 acme/api claude-sonnet-4-6 claude-code',
      '2026-06-20 acme/web claude-haiku-4-5 claude-code',
      '2026-06-20 acme/web claude-sonnet-4-6 claude-code',
      '2026-06-21 acme/web gpt-5 codex',
    ]);
    expect(rows.at(-1)).toMatchObject({ costUSD: 0, unpricedRequests: 1 });
  });

  it('writes CSV whose totals are the partial’s, with a header and CRLF line ends', () => {
    const context = siteContext(repositories());
    const { csv } = dataFiles(context);
    expect(csv.startsWith('date,repository,model,agent,sessions,requests,input,output,cacheWrite5m,cacheWrite1h,cacheRead,total,costUSD,unpricedRequests\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const parsed = parseCsv(csv);
    const sum = (column: string) => parsed.reduce((total, row) => total + Number(row[column]), 0);
    const sessions = context.partial.sessions;
    expect(sum('total')).toBe(sessions.reduce((total, row) => total + row.tokens.total, 0));
    expect(sum('input')).toBe(sessions.reduce((total, row) => total + row.tokens.input, 0));
    expect(sum('requests')).toBe(sessions.reduce((total, row) => total + row.requests, 0));
    expect(sum('costUSD')).toBeCloseTo(sessions.reduce((total, row) => total + row.costUSD, 0), 9);
  });

  it('uses the site’s days and time zone in both files', () => {
    const late = summary({ developer: 'alice', startedAt: '2026-06-20T23:30:00Z' });
    const files = dataFiles(siteContext({ 'acme/web': [late] }, { timezone: 'Asia/Tokyo' }));
    expect(files.rows.map((row) => row.date)).toEqual(['2026-06-21']);
    const json = JSON.parse(files.json) as { schema: string; timezone: string; rows: unknown[] };
    expect(json).toMatchObject({ schema: 'tokenledger.daily/1', timezone: 'Asia/Tokyo' });
    expect(json.rows).toEqual(files.rows);
  });

  it('carries no developer id in either file', () => {
    const files = dataFiles(siteContext(repositories()));
    expect(files.csv).not.toContain('dev_');
    expect(files.json).not.toContain('dev_');
    expect(files.json).not.toContain('developer');
  });

  it('guards a repository name that looks like a formula', () => {
    const { csv } = dataFiles(siteContext({ '=cmd|calc!A0': [summary()] }));
    expect(csv.split('\r\n')[1]).toBe("2026-05-04,'=cmd|calc!A0,claude-opus-4-6,claude-code,1,1,100,50,0,0,0,150,0.00015,0");
  });
});
