import { describe, expect, it } from 'vitest';
import { summary } from '../../test/helpers/summaries.js';
import type { SessionRow } from '../aggregate/partial-schema.js';
import { toSessionRow } from '../aggregate/session-row.js';
import { delta, type ScopeDeltas } from '../aggregate/weekly.js';
import { escapeMarkdown } from './pr-comment-escape.js';
import { MAX_COMMENT_LENGTH, PR_COMMENT_MARKER, renderPullRequestComment, type ExperimentEstimate, type PullRequestCommentInput } from './pr-comment.js';

const weekly: ScopeDeltas = {
  repository: 'acme/app',
  isoWeek: {
    tokens: delta(1500, 1000),
    costUSD: delta(1.5, 1),
    sessions: delta(3, 2),
    medianTokensPerSession: delta(500, 500),
    cacheReadShare: delta(0.4, 0.5),
  },
  // The comment shows the ISO week only; the rolling window is for the site.
  rolling: {
    tokens: delta(0, 0),
    costUSD: delta(0, 0),
    sessions: delta(0, 0),
    medianTokensPerSession: delta(0, 0),
    cacheReadShare: delta(0, 0),
  },
};

const olderSession = toSessionRow(
  'acme/app',
  summary({
    session: 'older',
    startedAt: '2026-05-04T10:00:00Z',
    models: [
      { model: 'claude-haiku-4-5', tokens: { input: 100 }, costUSD: 0.5 },
      { model: 'claude-opus-4-6', tokens: { input: 1000, output: 1000 }, costUSD: 2 },
    ],
  }),
);
const newerSession = toSessionRow('acme/app', summary({ session: 'newer', startedAt: '2026-05-05T09:30:00Z', models: [{ model: 'claude-sonnet-4-5', tokens: { input: 900 }, costUSD: 0.5 }] }));

const experiments: ExperimentEstimate[] = [
  { slug: 'plan-first', status: 'ok', ratio: 0.7, low: 0.6, high: 0.82, nBefore: 25, nAfter: 30 },
  { slug: 'short-prompts', status: 'insufficient-data', ratio: null, low: null, high: null, nBefore: 3, nAfter: 4 },
];

const base: PullRequestCommentInput = {
  repository: 'acme/app',
  weekly,
  linkedSessions: [olderSession, newerSession],
  experiments,
  siteUrl: 'https://acme.github.io/tokens/',
  generatedAt: '2026-05-06T12:00:00Z',
};

describe('renderPullRequestComment', () => {
  it('renders the week, the linked sessions newest first, the experiments and the site link', () => {
    expect(renderPullRequestComment(base)).toBe(
      [
        '<!-- tokenledger:pr-comment -->',
        '### Token usage in acme/app',
        '',
        '**This week vs last week**',
        '',
        '| | This week | Last week | Change |',
        '| --- | ---: | ---: | --- |',
        '| Tokens | 1,500 | 1,000 | ↑ +50.0% |',
        '| Cost | $1.50 | $1.00 | ↑ +50.0% |',
        '| Sessions | 3 | 2 | ↑ +50.0% |',
        '| Median tokens per session | 500 | 500 | → 0.0% |',
        '| Cache-read share | 40.0% | 50.0% | ↓ −10.0 pp |',
        '',
        '**Sessions linked to this pull request:** 2 (3,000 tokens, $3.00)',
        '',
        '| Started (UTC) | Tokens | Cost | Models |',
        '| --- | ---: | ---: | --- |',
        '| 2026-05-05 09:30 | 900 | $0.50 | claude-sonnet-4-5 |',
        '| 2026-05-04 10:00 | 2,100 | $2.50 | claude-opus-4-6, claude-haiku-4-5 |',
        '',
        '**Active experiments:** 2',
        '',
        '| Strategy | Sessions before / after | After ÷ before (95% CI) |',
        '| --- | ---: | --- |',
        '| plan-first | 25 / 30 | 0.70 (0.60–0.82), lower |',
        '| short-prompts | 3 / 4 | insufficient data |',
        '',
        '[Full report](https://acme.github.io/tokens/)',
        '',
        '<sub>Data as of 2026-05-06 12:00 UTC, by tokenledger.</sub>',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing is linked, leaves out experiments and the link when there are none', () => {
    const body = renderPullRequestComment({ ...base, linkedSessions: [], experiments: [], siteUrl: undefined });
    expect(body).toContain('\n**Sessions linked to this pull request:** none yet (no captured session made one of its commits).\n');
    expect(body).not.toContain('experiments');
    expect(body).not.toContain('Full report');
    expect(body.endsWith('\n\n<sub>Data as of 2026-05-06 12:00 UTC, by tokenledger.</sub>\n')).toBe(true);
  });

  it('reads a metric with nothing last week as new rather than an infinite percent', () => {
    const body = renderPullRequestComment({ ...base, weekly: { ...weekly, isoWeek: { ...weekly.isoWeek, tokens: delta(700, 0), sessions: delta(0, 0) } } });
    expect(body).toContain('| Tokens | 700 | 0 | ↑ new |');
    expect(body).toContain('| Sessions | 0 | 0 | → none |');
  });

  it('shows the 10 most recent linked sessions and counts all of them in the totals', () => {
    const sessions = Array.from({ length: 12 }, (_, day) => toSessionRow('acme/app', summary({ session: `s${day}`, startedAt: `2026-05-${String(day + 1).padStart(2, '0')}T08:00:00Z` })));
    const body = renderPullRequestComment({ ...base, linkedSessions: sessions });
    expect(body).toContain('**Sessions linked to this pull request:** 12 (1,800 tokens, $0.00)');
    expect(body).toContain('| 2026-05-12 08:00 |');
    expect(body).toContain('| 2026-05-03 08:00 |');
    expect(body).not.toContain('| 2026-05-02 08:00 |');
    expect(body).toContain('\nShowing the 10 most recent of 12.\n');
  });

  it('lists at most three models per session, the rest counted', () => {
    const models = ['m-a', 'm-b', 'm-c', 'm-d', 'm-e'].map((model, index) => ({ model, tokens: { input: 100 - index } }));
    const body = renderPullRequestComment({ ...base, linkedSessions: [toSessionRow('acme/app', summary({ models }))] });
    expect(body).toContain('| m-a, m-b, m-c +2 more |');
  });

  it('makes hostile repository names, slugs and model ids inert', () => {
    const attack = '"><script>alert(1)</script>';
    const hostileRow: SessionRow = { ...newerSession, models: [{ ...newerSession.models[0]!, model: `${attack}|@acme/admins` }] };
    const body = renderPullRequestComment({
      ...base,
      repository: `acme/app\n# <img src=x onerror=alert(1)>`,
      linkedSessions: [hostileRow],
      experiments: [{ ...experiments[1]!, slug: attack }],
    });
    // The only angle brackets left are the marker's and the footer's own.
    expect(body.replace(PR_COMMENT_MARKER, '').replace('<sub>', '').replace('</sub>', '')).not.toMatch(/[<>]/);
    expect(body).not.toContain('@acme');
    expect(body).toContain('### Token usage in acme/app &#35; &#60;img src=x onerror=alert&#40;1&#41;&#62;\n');
    // A `|` in a model id must not add a table cell: every sessions row keeps five pipes.
    const sessionRows = body.split('\n').filter((line) => line.startsWith('| 2026-'));
    expect(sessionRows).toHaveLength(1);
    expect(sessionRows[0]!.split('|')).toHaveLength(6);
    expect(body).toContain('| &#34;&#62;&#60;script&#62;alert&#40;1&#41;&#60;/script&#62; | 3 / 4 | insufficient data |');
  });

  it('links only to http(s) sites and keeps parentheses from closing the link', () => {
    expect(renderPullRequestComment({ ...base, siteUrl: 'https://acme.test/a(b)/?q=`x`\\' })).toContain('[Full report](https://acme.test/a%28b%29/?q=%60x%60%5C)');
    expect(() => renderPullRequestComment({ ...base, siteUrl: 'javascript:alert(1)' })).toThrow(/absolute http\(s\) URL/);
    expect(() => renderPullRequestComment({ ...base, siteUrl: 'tokens/' })).toThrow(/absolute http\(s\) URL/);
  });
});

describe('renderPullRequestComment length limit', () => {
  // 120 escaped `@` are 600 characters: ten rows of three such models are about 18,000.
  const wideModel = (letter: string) => `${letter}${'@'.repeat(119)}`;
  const wideSessions = Array.from({ length: 10 }, (_, index) => ({
    ...newerSession,
    id: `ses_${String(index).padStart(24, '0')}`,
    models: ['a', 'b', 'c'].map((letter) => ({ ...newerSession.models[0]!, model: wideModel(letter) })),
  }));
  const manyExperiments = (count: number): ExperimentEstimate[] =>
    Array.from({ length: count }, (_, index) => ({ ...experiments[0]!, slug: `experiment-${String(index).padStart(4, '0')}-${'x'.repeat(46)}` }));

  it('cuts the sessions table first, keeping its totals and saying why', () => {
    const input = { ...base, linkedSessions: wideSessions, experiments: manyExperiments(500) };
    // Either part alone fits; together they do not.
    expect(renderPullRequestComment({ ...input, experiments: [] })).toContain('| Started (UTC) |');
    expect(renderPullRequestComment({ ...input, linkedSessions: [] }).length).toBeLessThan(MAX_COMMENT_LENGTH);
    const body = renderPullRequestComment(input);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(body.startsWith(`${PR_COMMENT_MARKER}\n`)).toBe(true);
    expect(body).not.toContain('| Started (UTC) |');
    expect(body).toContain("**Sessions linked to this pull request:** 10 (9,000 tokens, $5.00)\n\n_The sessions table was left out to keep this comment under GitHub's 65,536-character limit._");
    expect(body).toContain('| experiment-0499-');
  });

  it('cuts the experiments table next when the sessions table was not enough', () => {
    const body = renderPullRequestComment({ ...base, linkedSessions: wideSessions, experiments: manyExperiments(1000) });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(body).toContain('_The sessions table was left out');
    expect(body).toContain("**Active experiments:** 1,000\n\n_The experiments table was left out to keep this comment under GitHub's 65,536-character limit._");
    expect(body).not.toContain('| experiment-');
    expect(body).toContain('| Tokens | 1,500 | 1,000 | ↑ +50.0% |');
  });

  it('truncates as a last resort and keeps the marker', () => {
    const body = renderPullRequestComment({ ...base, repository: 'r'.repeat(MAX_COMMENT_LENGTH) });
    expect(body.length).toBe(MAX_COMMENT_LENGTH);
    expect(body.startsWith(`${PR_COMMENT_MARKER}\n`)).toBe(true);
    expect(body.endsWith("_The rest of this comment was left out to keep this comment under GitHub's 65,536-character limit._\n")).toBe(true);
  });
});

describe('escapeMarkdown', () => {
  it('turns HTML into inert text', () => {
    expect(escapeMarkdown('"><script>alert(1)</script>')).toBe('&#34;&#62;&#60;script&#62;alert&#40;1&#41;&#60;/script&#62;');
    expect(escapeMarkdown("a'b&c")).toBe('a&#39;b&#38;c');
  });

  it('defuses Markdown links, emphasis, code, table cells and GitHub mentions, references, emoji and math', () => {
    expect(escapeMarkdown('[x](javascript:alert(1))')).toBe('&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;');
    expect(escapeMarkdown('*_`~a|b\\')).toBe('&#42;&#95;&#96;&#126;a&#124;b&#92;');
    expect(escapeMarkdown('@acme/admins #12 :tada: $x$ !{}')).toBe('&#64;acme/admins &#35;12 &#58;tada&#58; &#36;x&#36; &#33;&#123;&#125;');
  });

  it('keeps a value on one line and drops invisible characters', () => {
    expect(escapeMarkdown('a\r\n\n# b\tc')).toBe('a &#35; b c');
    expect(escapeMarkdown('ab\u202ecd\u0000e')).toBe('abcde');
  });

  it('leaves ordinary repository names, model ids and slugs readable', () => {
    expect(escapeMarkdown('acme/app')).toBe('acme/app');
    expect(escapeMarkdown('claude-opus-4-6')).toBe('claude-opus-4-6');
    expect(escapeMarkdown('plan-first.v2')).toBe('plan-first.v2');
  });
});
