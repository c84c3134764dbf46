/**
 * Prices a billed response from the embedded, versioned price table (`prices/prices.json`).
 * Pure: no I/O beyond the JSON import, no clock. Unknown models and unknown surcharges are
 * "unpriced" (undefined), never $0, so a total can say what it could not count.
 */
import table from './prices/prices.json' with { type: 'json' };
import type { TokenCounts, TokenType } from '../sources/events.js';
import type { ModelPrice, PriceTable, TokenRates } from './prices/schema.js';

// Compile-time guard: the rate keys and TOKEN_TYPES must be the same set, so adding a token
// type without a price (or a price without a token type) fails the build.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const tokenTypesMatchRates: Same<keyof TokenRates, TokenType> = true;
void tokenTypesMatchRates;

/** The embedded table; `price.test.ts` validates it against `priceTableSchema`. */
export const PRICE_TABLE: PriceTable = table as PriceTable;
export const PRICE_TABLE_VERSION: string = PRICE_TABLE.version;

const models = new Map<string, ModelPrice>(Object.entries(PRICE_TABLE.models));

interface Resolved {
  readonly id: string;
  readonly price: ModelPrice;
  /** The raw id carried ccusage's `-fast` suffix. */
  readonly fastSuffix: boolean;
}

/** Memo per raw id; `null` caches "unknown" too. A handful of distinct ids per run, so unbounded is fine. */
const memo = new Map<string, Resolved | null>();

const RE_LONG_CONTEXT_TAG = /\[\d+[km]\]$/; // Claude Code's `[1m]`
const RE_PROVIDER = /^(?:anthropic|openai)\//;
const RE_BEDROCK = /^(?:[a-z]{2,7}\.)?anthropic\./; // `anthropic.` and `us.`/`eu.`/`global.`/… cross-region forms
const RE_FAST = /-fast$/;
const RE_BEDROCK_VERSION = /-v\d+(?::\d+)?$/; // `-v1:0`, and Vertex's `-v2` before `@date`
const RE_VERTEX_DATE = /@\d{8}$/;
const RE_DATE = /-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest)$/;
const RE_OLD_ORDER = /^claude-(\d+(?:-\d)?)-(opus|sonnet|haiku)$/;

function resolve(raw: string): Resolved | null {
  let id = raw.trim().toLowerCase();
  id = id.replace(RE_LONG_CONTEXT_TAG, '');
  id = id.replace(RE_PROVIDER, '').replace(RE_BEDROCK, '');
  const fastSuffix = RE_FAST.test(id);
  if (fastSuffix) id = id.replace(RE_FAST, '');
  id = id.replace(RE_BEDROCK_VERSION, '');
  id = id.replace(RE_VERTEX_DATE, '').replace(RE_DATE, '');
  id = id.replace(RE_BEDROCK_VERSION, '');
  // Exact lookup only: `claude-opus-5-5` or `claude-sonnet-9` must not land on a neighbour.
  let found = models.get(id);
  if (found === undefined) {
    // LiteLLM-style `claude-4-opus` names the same model as `claude-opus-4`; 3.x ids keep old order.
    const m = RE_OLD_ORDER.exec(id);
    if (m !== null) {
      id = `claude-${m[2]}-${m[1]}`;
      found = models.get(id);
    }
  }
  return found === undefined ? null : { id, price: found, fastSuffix };
}

function lookup(model: string): Resolved | null {
  let r = memo.get(model);
  if (r === undefined) {
    r = resolve(model);
    memo.set(model, r);
  }
  return r;
}

/**
 * Canonical price-table id for a raw model id as transcripts write it (dated, undated, old
 * order, Bedrock/Vertex, provider-prefixed, `[1m]`/`-fast` suffixed), or undefined if unpriced.
 */
export function resolveModel(model: string): string | undefined {
  return lookup(model)?.id;
}

/** The table entry for a raw model id, or undefined. */
export function modelPrice(model: string): ModelPrice | undefined {
  return lookup(model)?.price;
}

function tokenCost(r: TokenRates, t: TokenCounts): number {
  return (
    t.input * r.input +
    t.output * r.output +
    t.cacheWrite5m * r.cacheWrite5m +
    t.cacheWrite1h * r.cacheWrite1h +
    t.cacheRead * r.cacheRead
  );
}

/**
 * USD cost of one billed response, or undefined when any part of it has no price: unknown
 * model, fast mode on a model without a fast multiplier, web searches without a search price.
 */
export function costOfResponse(
  model: string,
  tokens: TokenCounts,
  webSearchRequests: number,
  speed: 'standard' | 'fast',
): number | undefined {
  const r = lookup(model);
  if (r === null) return undefined;
  const p = r.price;

  let multiplier = 1;
  if (speed === 'fast' || r.fastSuffix) {
    if (p.fastMultiplier === undefined) return undefined;
    multiplier = p.fastMultiplier;
  }

  let search = 0;
  if (webSearchRequests > 0) {
    if (p.webSearchPerThousand === undefined) return undefined;
    search = (webSearchRequests * p.webSearchPerThousand) / 1000;
  }

  // Anthropic and OpenAI both price the whole request at the premium once total input
  // (cache reads and writes included) passes the threshold; not per token bucket like ccusage.
  const lc = p.longContext;
  const rates =
    lc !== undefined &&
    tokens.input + tokens.cacheWrite5m + tokens.cacheWrite1h + tokens.cacheRead > lc.thresholdInputTokens
      ? lc
      : p;

  return (tokenCost(rates, tokens) * multiplier) / 1_000_000 + search;
}
