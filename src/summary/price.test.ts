import { describe, expect, it } from 'vitest';
import rawTable from './prices/prices.json' with { type: 'json' };
import { TOKEN_TYPES, type TokenCounts } from '../sources/events.js';
import {
  PRICE_TABLE,
  PRICE_TABLE_VERSION,
  costOfResponse,
  modelPrice,
  resolveModel,
} from './price.js';
import { priceTableSchema } from './prices/schema.js';

const M = 1_000_000;

function tok(t: Partial<TokenCounts> = {}): TokenCounts {
  return { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, ...t };
}

/** Cost of a standard, search-free request. */
function cost(model: string, t: Partial<TokenCounts>): number | undefined {
  return costOfResponse(model, tok(t), 0, 'standard');
}

describe('price table', () => {
  it('is valid and versioned', () => {
    expect(priceTableSchema.safeParse(rawTable).success).toBe(true);
    expect(PRICE_TABLE_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(PRICE_TABLE_VERSION).toBe(PRICE_TABLE.version);
  });

  it('gives every model (and every long-context tier) a price for every token type', () => {
    const models = Object.entries(rawTable.models as Record<string, Record<string, unknown>>);
    expect(models.length).toBeGreaterThan(30);
    for (const [id, entry] of models) {
      for (const type of TOKEN_TYPES) {
        expect(typeof entry[type], `${id}.${type}`).toBe('number');
      }
      const lc = entry['longContext'] as Record<string, unknown> | undefined;
      if (lc !== undefined) {
        for (const type of TOKEN_TYPES) expect(typeof lc[type], `${id}.longContext.${type}`).toBe('number');
      }
    }
  });

  it('prices a Claude 1h cache write at 2x input, as Anthropic and ccusage do', () => {
    const claude = Object.entries(PRICE_TABLE.models).filter(([id]) => id.startsWith('claude-'));
    expect(claude.length).toBe(19);
    for (const [id, p] of claude) {
      expect(p.cacheWrite1h, id).toBeCloseTo(2 * p.input, 12);
      if (p.longContext) expect(p.longContext.cacheWrite1h, id).toBeCloseTo(2 * p.longContext.input, 12);
      expect(p.webSearchPerThousand, id).toBe(10);
    }
  });

  it('bills OpenAI cache writes at the input price', () => {
    for (const [id, p] of Object.entries(PRICE_TABLE.models)) {
      if (!id.startsWith('gpt-')) continue;
      expect(p.cacheWrite5m, id).toBe(p.input);
      expect(p.cacheWrite1h, id).toBe(p.input);
    }
  });
});

describe('costOfResponse: each token type, hand-checked against the vendors', () => {
  // [raw id, input, output, 5m write, 1h write, cache read] in USD per million tokens, typed
  // from the pricing pages, not read from prices.json.
  const cases: [string, number, number, number, number, number][] = [
    ['claude-fable-5', 10, 50, 12.5, 20, 1],
    ['claude-mythos-5', 10, 50, 12.5, 20, 1],
    ['claude-opus-5', 5, 25, 6.25, 10, 0.5],
    ['claude-opus-4-8', 5, 25, 6.25, 10, 0.5],
    ['claude-opus-4-7', 5, 25, 6.25, 10, 0.5],
    ['claude-opus-4-6', 5, 25, 6.25, 10, 0.5],
    ['claude-opus-4-5-20251101', 5, 25, 6.25, 10, 0.5],
    ['claude-opus-4-1-20250805', 15, 75, 18.75, 30, 1.5],
    ['claude-opus-4-20250514', 15, 75, 18.75, 30, 1.5],
    ['claude-sonnet-5', 2, 10, 2.5, 4, 0.2],
    ['claude-sonnet-4-6', 3, 15, 3.75, 6, 0.3],
    ['claude-sonnet-4-5-20250929', 3, 15, 3.75, 6, 0.3],
    ['claude-sonnet-4-20250514', 3, 15, 3.75, 6, 0.3],
    ['claude-3-7-sonnet-20250219', 3, 15, 3.75, 6, 0.3],
    ['claude-3-5-sonnet-20241022', 3, 15, 3.75, 6, 0.3],
    ['claude-haiku-4-5-20251001', 1, 5, 1.25, 2, 0.1],
    ['claude-3-5-haiku-20241022', 0.8, 4, 1, 1.6, 0.08],
    ['claude-3-haiku-20240307', 0.25, 1.25, 0.3, 0.5, 0.03],
    ['claude-3-opus-20240229', 15, 75, 18.75, 30, 1.5],
    ['gpt-5', 1.25, 10, 1.25, 1.25, 0.125],
    ['gpt-5-codex', 1.25, 10, 1.25, 1.25, 0.125],
    ['gpt-5.1', 1.25, 10, 1.25, 1.25, 0.125],
    ['gpt-5.1-codex', 1.25, 10, 1.25, 1.25, 0.125],
    ['gpt-5.1-codex-mini', 0.25, 2, 0.25, 0.25, 0.025],
    ['gpt-5-mini', 0.25, 2, 0.25, 0.25, 0.025],
    ['gpt-5-nano', 0.05, 0.4, 0.05, 0.05, 0.005],
    ['gpt-5.2', 1.75, 14, 1.75, 1.75, 0.175],
    ['gpt-5.2-codex', 1.75, 14, 1.75, 1.75, 0.175],
    ['gpt-5.3-codex', 1.75, 14, 1.75, 1.75, 0.175],
    ['gpt-5.4', 2.5, 15, 2.5, 2.5, 0.25],
    ['gpt-5.5', 5, 30, 5, 5, 0.5],
  ];

  // 100k tokens keeps every case under the long-context thresholds (200k Anthropic, 272k OpenAI).
  it.each(cases)('%s: 100k of each token type', (model, input, output, w5, w1, read) => {
    const k100 = 100_000;
    expect(cost(model, { input: k100 })).toBeCloseTo(input / 10, 12);
    expect(cost(model, { output: k100 })).toBeCloseTo(output / 10, 12);
    expect(cost(model, { cacheWrite5m: k100 })).toBeCloseTo(w5 / 10, 12);
    expect(cost(model, { cacheWrite1h: k100 })).toBeCloseTo(w1 / 10, 12);
    expect(cost(model, { cacheRead: k100 })).toBeCloseTo(read / 10, 12);
  });

  it('covers every model in the table', () => {
    const covered = new Set(cases.map(([m]) => resolveModel(m)));
    expect([...covered].sort()).toEqual(Object.keys(PRICE_TABLE.models).sort());
  });

  it('Opus 4.6: 1M 1h cache-write tokens cost $10, 1M 5m writes $6.25', () => {
    expect(cost('claude-opus-4-6', { cacheWrite1h: M })).toBe(10);
    expect(cost('claude-opus-4-6', { cacheWrite5m: M })).toBe(6.25);
  });

  it('adds the token types of a mixed request', () => {
    // 1000*3 + 2000*15 + 3000*3.75 + 4000*6 + 5000*0.3 = 69,750 micro-dollars
    const t = { input: 1000, output: 2000, cacheWrite5m: 3000, cacheWrite1h: 4000, cacheRead: 5000 };
    expect(cost('claude-sonnet-4-5', t)).toBeCloseTo(0.06975, 12);
  });

  it('an empty request of a known model costs 0', () => {
    expect(cost('claude-opus-4-6', {})).toBe(0);
  });
});

describe('costOfResponse: long context', () => {
  it('Sonnet 4.5 with 250k total input bills the whole request at the premium', () => {
    // 50k*6 + 200k*0.60 + 10k*22.50 = 645,000 micro-dollars (standard would be 360,000)
    expect(cost('claude-sonnet-4-5-20250929', { input: 50_000, cacheRead: 200_000, output: 10_000 })).toBeCloseTo(
      0.645,
      12,
    );
  });

  it('counts cache writes toward the threshold and prices them at the premium', () => {
    // 10k+100k+50k+50k = 210k > 200k: 10k*6 + 100k*7.5 + 50k*12 + 50k*0.6 + 1k*22.5 = 1,462,500
    const t = { input: 10_000, cacheWrite5m: 100_000, cacheWrite1h: 50_000, cacheRead: 50_000, output: 1_000 };
    expect(cost('claude-sonnet-4-20250514', t)).toBeCloseTo(1.4625, 12);
  });

  it('a request at exactly 200k input is not premium; 200,001 is', () => {
    expect(cost('claude-sonnet-4-5', { input: 200_000, output: 1_000 })).toBeCloseTo(0.615, 12);
    expect(cost('claude-sonnet-4-5', { input: 200_001, output: 1_000 })).toBeCloseTo(1.222506, 12);
  });

  it('does not split the threshold per bucket (the ccusage pitfall)', () => {
    // One 250k cache-read request: Anthropic bills 250k*0.60 = $0.15; ccusage's per-bucket tier gives $0.09.
    expect(cost('claude-sonnet-4', { cacheRead: 250_000 })).toBeCloseTo(0.15, 12);
    // 150k input + 100k read: no bucket passes 200k, the request does.
    expect(cost('claude-sonnet-4-5', { input: 150_000, cacheRead: 100_000 })).toBeCloseTo(0.96, 12);
  });

  it('has no premium for models that include 1M context at standard price', () => {
    expect(cost('claude-opus-4-6', { input: 500_000 })).toBeCloseTo(2.5, 12);
    expect(cost('claude-sonnet-4-6', { input: 900_000 })).toBeCloseTo(2.7, 12);
    expect(cost('claude-opus-5', { cacheRead: 900_000 })).toBeCloseTo(0.45, 12);
  });

  it('gpt-5.5 and gpt-5.4 are premium above 272k input, cached included', () => {
    // 100k*10 + 200k*1 + 10k*45 = 1,650,000
    expect(cost('gpt-5.5', { input: 100_000, cacheRead: 200_000, output: 10_000 })).toBeCloseTo(1.65, 12);
    expect(cost('gpt-5.5', { input: 272_000 })).toBeCloseTo(1.36, 12);
    // 272,001 * 5 = 1,360,005 micro-dollars
    expect(cost('gpt-5.4', { input: 272_001 })).toBeCloseTo(1.360005, 12);
  });
});

describe('costOfResponse: web search and fast mode', () => {
  it('charges $10 per 1,000 web searches on top of tokens', () => {
    expect(costOfResponse('claude-opus-4-5', tok(), 3, 'standard')).toBeCloseTo(0.03, 12);
    expect(costOfResponse('claude-sonnet-4-6', tok({ input: 1000 }), 2, 'standard')).toBeCloseTo(0.023, 12);
    expect(costOfResponse('gpt-5.3-codex', tok(), 1, 'standard')).toBeCloseTo(0.01, 12);
  });

  it('is unpriced when a model has no web search price', () => {
    expect(costOfResponse('gpt-5.4', tok({ input: 1000 }), 1, 'standard')).toBeUndefined();
    expect(costOfResponse('gpt-5.4', tok({ input: 1000 }), 0, 'standard')).toBeCloseTo(0.0025, 12);
  });

  it('Opus 5 and 4.8 fast mode cost 2x: $10 in, $50 out', () => {
    for (const m of ['claude-opus-5', 'claude-opus-4-8']) {
      expect(costOfResponse(m, tok({ input: M }), 0, 'fast')).toBeCloseTo(10, 10);
      expect(costOfResponse(m, tok({ output: M }), 0, 'fast')).toBeCloseTo(50, 10);
      // cache multipliers stack on the fast price: 1h write = 2 * $10
      expect(costOfResponse(m, tok({ cacheWrite1h: M }), 0, 'fast')).toBeCloseTo(20, 10);
    }
  });

  it('Opus 4.6 and 4.7 fast mode cost 6x: $30 in, $150 out', () => {
    for (const m of ['claude-opus-4-6', 'claude-opus-4-7']) {
      expect(costOfResponse(m, tok({ input: M }), 0, 'fast')).toBeCloseTo(30, 10);
      expect(costOfResponse(m, tok({ output: M }), 0, 'fast')).toBeCloseTo(150, 10);
    }
  });

  it('treats a -fast model suffix as fast', () => {
    expect(cost('claude-opus-4-6-fast', { input: M })).toBeCloseTo(30, 10);
  });

  it('does not multiply the web search charge', () => {
    expect(costOfResponse('claude-opus-5', tok({ output: M }), 1, 'fast')).toBeCloseTo(50.01, 10);
  });

  it('OpenAI priority (fast): 2.5x for gpt-5.5, 2x for gpt-5.4', () => {
    // 100k tokens: under the 272k long-context threshold
    expect(costOfResponse('gpt-5.5', tok({ input: 100_000 }), 0, 'fast')).toBeCloseTo(1.25, 12);
    expect(costOfResponse('gpt-5.5', tok({ cacheRead: 100_000 }), 0, 'fast')).toBeCloseTo(0.125, 12);
    expect(costOfResponse('gpt-5.4', tok({ output: M }), 0, 'fast')).toBeCloseTo(30, 10);
  });

  it('is unpriced in fast mode on a model with no fast price', () => {
    expect(costOfResponse('claude-sonnet-4-5', tok({ input: 1000 }), 0, 'fast')).toBeUndefined();
    expect(costOfResponse('gpt-5-codex', tok({ input: 1000 }), 0, 'fast')).toBeUndefined();
  });
});

describe('unknown models', () => {
  it.each(['glm-5.1', 'longcat-flash-thinking-2601-platform', '<synthetic>', 'claude-sonnet-9', 'claude-opus-5-5', ''])(
    '%s is unpriced, never $0',
    (model) => {
      expect(resolveModel(model)).toBeUndefined();
      expect(modelPrice(model)).toBeUndefined();
      expect(costOfResponse(model, tok({ input: 1000, output: 1000 }), 0, 'standard')).toBeUndefined();
      expect(costOfResponse(model, tok(), 0, 'standard')).toBeUndefined();
    },
  );
});

describe('resolveModel', () => {
  const known: [string, string][] = [
    // dated
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-opus-4-5-20251101', 'claude-opus-4-5'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    // undated
    ['claude-opus-4-6', 'claude-opus-4-6'],
    ['claude-opus-5', 'claude-opus-5'],
    ['claude-fable-5', 'claude-fable-5'],
    ['claude-sonnet-5', 'claude-sonnet-5'],
    // old order
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['claude-3-haiku-20240307', 'claude-3-haiku'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-3-opus-20240229', 'claude-3-opus'],
    ['claude-4-opus-20250514', 'claude-opus-4'],
    // Bedrock / Vertex
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['global.anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
    ['eu.anthropic.claude-3-5-sonnet-20241022-v2:0', 'claude-3-5-sonnet'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
    // provider prefixes
    ['anthropic/claude-opus-4-6', 'claude-opus-4-6'],
    ['anthropic/claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['openai/gpt-5.3-codex', 'gpt-5.3-codex'],
    // suffixes
    ['claude-sonnet-4-5-20250929[1m]', 'claude-sonnet-4-5'],
    ['claude-opus-4-6[1m]', 'claude-opus-4-6'],
    ['claude-opus-4-6-fast', 'claude-opus-4-6'],
    // OpenAI
    ['gpt-5.3-codex', 'gpt-5.3-codex'],
    ['gpt-5-codex-2025-09-15', 'gpt-5-codex'],
    ['gpt-5-2025-08-07', 'gpt-5'],
    ['gpt-5.1-codex-mini', 'gpt-5.1-codex-mini'],
    ['gpt-5.5-2026-04-23', 'gpt-5.5'],
    ['GPT-5.4', 'gpt-5.4'],
  ];

  it.each(known)('%s -> %s', (raw, id) => {
    expect(resolveModel(raw)).toBe(id);
    expect(resolveModel(raw)).toBe(id); // memoized path
  });

  it.each([
    'glm-5.1',
    'longcat-flash-thinking-2601-platform',
    '<synthetic>',
    'claude-sonnet-9',
    // never across versions or families
    'claude-opus-5-5',
    'claude-sonnet-5-5',
    'claude-haiku-5-5',
    'claude-opus-4-9',
    'claude-sonnet-3-7',
    'claude-3-sonnet-20240229',
    'claude-2.1',
    'claude-opus',
    'gpt-5.1-codex-max',
    'gpt-5.3-codex-spark',
    'gpt-5.6',
    'gpt-5-pro',
    'gpt-4.1',
    'o3',
    'claude-opus-4-6-thinking',
  ])('%s -> undefined', (raw) => {
    expect(resolveModel(raw)).toBeUndefined();
  });
});
