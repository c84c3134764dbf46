/**
 * Golden test over real Codex rollouts (0.34 to 0.118, see fixtures/real/SOURCES.md). They carry no
 * license, so they are read in place from the shared folder beside the repository, never copied in.
 * The expected totals are computed here independently: per file, the last cumulative total minus the
 * fork baseline (first total - first last), split as the adapter's mapping says.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sumTokens } from '../../../test/helpers/events.js';
import { readCodexSessions } from './index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const REAL = path.resolve(repoRoot, '../shared/fixtures/real/codex');
const FORK_PAIR = path.join(repoRoot, 'fixtures/codex/fork-pair');

type Usage = Record<string, number>;
type TokenCountLine = { type: string; payload?: { type?: string; info?: { total_token_usage: Usage; last_token_usage: Usage } | null } };
const FIELDS = ['input_tokens', 'cached_input_tokens', 'cache_write_input_tokens', 'output_tokens', 'reasoning_output_tokens'];

/**
 * What the adapter should find under a Codex home: token sums by type from each file's first and
 * last token_count, and the token_count lines that bill a response, repeat the previous totals, or
 * carry no usage (`info: null`).
 */
function expectedFacts(home: string) {
  const totals = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoningOutput: 0 };
  const counts = { responses: 0, duplicateLines: 0, skippedLines: 0 };
  const files = readdirSync(home, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.jsonl'));
  for (const file of files) {
    const tokenCounts = readFileSync(path.join(home, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as TokenCountLine)
      .filter((line) => line.type === 'event_msg' && line.payload?.type === 'token_count');
    const infos = tokenCounts.flatMap((line) => (line.payload?.info ? [line.payload.info] : []));
    counts.skippedLines += tokenCounts.length - infos.length;
    infos.forEach((info, index) => {
      const repeat = index > 0 && JSON.stringify(info.total_token_usage) === JSON.stringify(infos[index - 1]!.total_token_usage);
      counts[repeat ? 'duplicateLines' : 'responses'] += 1;
    });
    const first = infos[0];
    const last = infos.at(-1);
    if (!first || !last) continue;
    const own = Object.fromEntries(FIELDS.map((field) => [field, (last.total_token_usage[field] ?? 0) - ((first.total_token_usage[field] ?? 0) - (first.last_token_usage[field] ?? 0))]));
    totals.input += own.input_tokens! - own.cached_input_tokens! - own.cache_write_input_tokens!;
    totals.cacheRead += own.cached_input_tokens!;
    totals.cacheWrite5m += own.cache_write_input_tokens!;
    totals.output += own.output_tokens!;
    totals.reasoningOutput += own.reasoning_output_tokens!;
  }
  return { totals, counts };
}

describe('fork rule on a synthetic parent and fork', () => {
  it('matches the per-file rule, and parent plus fork equal the true usage', async () => {
    const { events } = await readCodexSessions({ env: { CODEX_HOME: FORK_PAIR } });
    expect(sumTokens(events)).toEqual(expectedFacts(FORK_PAIR).totals);
    expect(sumTokens(events)).toEqual({ input: 550, cacheRead: 3800, cacheWrite5m: 1950, cacheWrite1h: 0, output: 430, reasoningOutput: 50 });
  });
});

const available = existsSync(REAL);
if (!available) console.warn(`Real Codex rollouts not found at ${REAL}: golden test skipped.`);

describe.skipIf(!available)(`real Codex rollouts (${REAL})`, () => {
  const homes = available ? readdirSync(REAL).map((source) => path.join(REAL, source, '.codex')) : [];

  it('sum by type to the independently computed totals', async () => {
    const { events, diagnostics } = await readCodexSessions({ env: { CODEX_HOME: homes.join(',') } });
    const expected = { totals: sumTokens([]) as Record<string, number>, counts: { responses: 0, duplicateLines: 0, skippedLines: 0 } };
    for (const facts of homes.map(expectedFacts)) {
      for (const [key, value] of Object.entries(facts.totals)) expected.totals[key] = (expected.totals[key] ?? 0) + value;
      for (const key of ['responses', 'duplicateLines', 'skippedLines'] as const) expected.counts[key] += facts.counts[key];
    }

    expect(sumTokens(events)).toEqual(expected.totals);
    expect(diagnostics).toMatchObject({ filesRead: 6, malformedLines: 0, ...expected.counts });
    expect(events).toHaveLength(expected.counts.responses);
  });
});
