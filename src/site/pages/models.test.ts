import { describe, expect, it } from 'vitest';
import { siteContext } from '../../../test/helpers/site.js';
import { summary } from '../../../test/helpers/summaries.js';
import { modelsPage } from './models.js';

const M = 1_000_000;
/** Sonnet 4.6 list prices per million: input $3, output $15, 5m write $3.75, read $0.30; this is $22.05. */
const SONNET_TOKENS = { input: M, output: M, cacheWrite5m: M, cacheRead: M };

function page() {
  return modelsPage(
    siteContext({
      'acme/web': [
        // Recorded at twice the list price (a surcharge the table does not know): the split scales.
        summary({ models: [{ model: 'claude-sonnet-4-6', tokens: SONNET_TOKENS, costUSD: 44.1 }] }),
        summary({ agent: 'codex', models: [{ model: 'acme-internal-llm', requests: 3, tokens: { input: 500, output: 20 }, costUSD: null }] }),
      ],
      'acme/api': [
        summary({ agent: 'codex', models: [{ model: 'gpt-5', tokens: { input: 4000, output: 1000 }, costUSD: 0.02 }] }),
        summary({ agent: 'gemini', models: [{ model: 'gemini-2.5-pro', tokens: { input: 700 } }] }),
      ],
    }),
  );
}

describe('modelsPage', () => {
  it('splits a priced model’s recorded cost by token type in proportion to list prices', () => {
    const result = page();
    const sonnet = result.dollars.rows.find((row) => row[0] === 'claude-sonnet-4-6');
    // Input, output, 5m write, 1h write, read, total.
    expect(sonnet).toEqual(['claude-sonnet-4-6', '$6.00', '$30.00', '$7.50', '$0.00', '$0.60', '$44.10']);
    const chart = result.charts.find((entry) => entry.id === 'cost-by-type')!;
    const values = (chart.spec as { data: { values: { period: string; value: number }[] } }).data.values;
    const parts = values.filter((value) => value.period === 'claude-sonnet-4-6').map((value) => value.value);
    expect(parts).toHaveLength(5);
    expect(parts.reduce((sum, value) => sum + value, 0)).toBeCloseTo(44.1, 9);
  });

  it('lists a model without a price as unpriced, with no dollars by type', () => {
    const result = page();
    expect(result.unpriced).toEqual(['acme-internal-llm']);
    expect(result.dollars.rows.find((row) => row[0] === 'acme-internal-llm')).toEqual(['acme-internal-llm', 'unpriced', 'unpriced', 'unpriced', 'unpriced', 'unpriced', '$0.00']);
  });

  it('breaks all tokens down by agent, with each agent’s cost and sessions', () => {
    const result = page();
    const chart = result.charts.find((entry) => entry.id === 'tokens-by-agent')!;
    expect(chart.table.rows).toEqual([
      ['claude-code', '4M', '$44.10', '1'],
      ['codex', '5,520', '$0.02', '2'],
      ['gemini', '700', '$0.00', '1'],
    ]);
    const tokens = chart.table.sortKeys!.reduce((sum, keys) => sum + keys[1]!, 0);
    expect(tokens).toBe(4 * M + 500 + 20 + 4000 + 1000 + 700);
  });

  it('shows what cache reads saved and what cache writes cost at list prices', () => {
    const cache = Object.fromEntries(page().cache.map((entry) => [entry.label, entry.value]));
    // Reads: 1M × ($3 − $0.30); writes: 1M × ($3.75 − $3).
    expect(cache).toMatchObject({ 'Saved by cache reads': '$2.70', 'Paid for cache writes': '$0.75', 'Net saving from caching': '$1.95' });
  });

  it('shows a net loss from caching with a minus before the dollars', () => {
    const result = modelsPage(siteContext({ 'acme/web': [summary({ models: [{ model: 'claude-sonnet-4-6', tokens: { input: 10, cacheWrite5m: M } }] })] }));
    expect(result.cache.find((entry) => entry.label === 'Net saving from caching')?.value).toBe('−$0.75');
  });
});
