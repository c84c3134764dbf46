/** Models and cost: tokens and dollars per token type and model, and what caching saved. */
import { inputSideTokens, TOKEN_TYPES, type TokenType } from '../../sources/events.js';
import { modelPrice } from '../../summary/price.js';
import { barChart } from '../charts/bars.js';
import { stackedByGroupChart } from '../charts/trend.js';
import { TOKEN_TYPE_LABELS, type Chart, type DataTable } from '../chart.js';
import type { SiteContext } from '../context.js';
import { formatCount, formatShare, formatTokens, formatUSD } from '../format.js';
import { largestFirst, sumBy } from './rollups.js';

export interface ModelsPage {
  charts: Chart[];
  tokens: DataTable;
  dollars: DataTable;
  cache: { label: string; value: string; note: string }[];
  unpriced: string[];
}

interface ModelTotals {
  tokens: Record<TokenType, number>;
  costUSD: number;
  unpricedRequests: number;
}

export function modelsPage(context: SiteContext): ModelsPage {
  const totals = new Map<string, ModelTotals>();
  for (const row of context.daily) {
    let entry = totals.get(row.model);
    if (!entry) totals.set(row.model, (entry = { tokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }, costUSD: 0, unpricedRequests: 0 }));
    for (const type of TOKEN_TYPES) entry.tokens[type] += row.tokens[type];
    entry.costUSD += row.costUSD;
    entry.unpricedRequests += row.unpricedRequests;
  }
  const order = largestFirst(new Map([...totals].map(([model, entry]) => [model, TOKEN_TYPES.reduce((sum, type) => sum + entry.tokens[type], 0)])));
  const dollarsByType = new Map(order.map(([model]) => [model, splitCost(model, totals.get(model)!)]));

  let saved = 0;
  let writePremium = 0;
  let cacheRead = 0;
  let inputSide = 0;
  for (const [model, entry] of totals) {
    const price = modelPrice(model);
    cacheRead += entry.tokens.cacheRead;
    inputSide += inputSideTokens(entry.tokens);
    if (!price) continue;
    saved += (entry.tokens.cacheRead * (price.input - price.cacheRead)) / 1e6;
    writePremium += (entry.tokens.cacheWrite5m * (price.cacheWrite5m - price.input) + entry.tokens.cacheWrite1h * (price.cacheWrite1h - price.input)) / 1e6;
  }

  const byAgent = largestFirst(sumBy(context.daily, (row) => row.agent, (row) => row.tokens.total));
  const agentCost = sumBy(context.daily, (row) => row.agent, (row) => row.costUSD);
  const agentSessions = sumBy(context.partial.sessions, (row) => row.agent, () => 1);
  const typeColumns = TOKEN_TYPES.map((type) => ({ label: TOKEN_TYPE_LABELS[type], numeric: true }));
  const values = order.flatMap(([model]) => TOKEN_TYPES.map((type) => ({ period: model, group: TOKEN_TYPE_LABELS[type], value: Math.round((dollarsByType.get(model)?.[type] ?? 0) * 100) / 100 })));
  return {
    charts: [
      barChart({ id: 'tokens-by-model', title: 'Tokens by model', description: 'All tokens per model over the whole data set.', itemLabel: 'Model', valueLabel: 'Tokens', format: formatTokens, items: order.map(([model, value]) => ({ label: model, value })) }),
      barChart({
        id: 'tokens-by-agent',
        title: 'Tokens by agent',
        description: 'All tokens per coding agent (Claude Code, Codex CLI, Gemini CLI, OpenCode) over the whole data set, with their cost and sessions.',
        itemLabel: 'Agent',
        valueLabel: 'Tokens',
        format: formatTokens,
        items: byAgent.map(([agent, value]) => ({ label: agent, value, extra: [formatUSD(agentCost.get(agent) ?? 0), formatCount(agentSessions.get(agent) ?? 0)] })),
        extraColumns: [{ label: 'Cost', numeric: true }, { label: 'Sessions', numeric: true }],
      }),
      stackedByGroupChart({ id: 'cost-by-type', title: 'Dollars by model and token type', description: 'Each model’s cost split by token type in proportion to list prices, so the parts add up to the cost the summaries recorded.', periodLabel: 'Model', valueLabel: 'Cost (USD)', unit: 'usd', periods: order.map(([model]) => model), values }),
    ],
    tokens: {
      columns: [{ label: 'Model' }, ...typeColumns, { label: 'Total', numeric: true }],
      rows: order.map(([model, total]) => [model, ...TOKEN_TYPES.map((type) => formatTokens(totals.get(model)!.tokens[type])), formatTokens(total)]),
    },
    dollars: {
      columns: [{ label: 'Model' }, ...typeColumns, { label: 'Total', numeric: true }],
      rows: order.map(([model]) => {
        const split = dollarsByType.get(model);
        return [model, ...TOKEN_TYPES.map((type) => (split ? formatUSD(split[type]) : 'unpriced')), formatUSD(totals.get(model)!.costUSD)];
      }),
    },
    cache: [
      { label: 'Cache-read share', value: formatShare(inputSide === 0 ? 0 : cacheRead / inputSide), note: 'of all input-side tokens (fresh input, cache writes, cache reads)' },
      { label: 'Saved by cache reads', value: formatUSD(saved), note: 'what the cache reads would have cost as fresh input, minus what they cost' },
      { label: 'Paid for cache writes', value: formatUSD(writePremium), note: 'the premium of cache writes over fresh input' },
      { label: 'Net saving from caching', value: formatUSD(saved - writePremium), note: 'at list prices' },
    ],
    unpriced: order.filter(([model]) => totals.get(model)!.unpricedRequests > 0).map(([model]) => model),
  };
}

/** A model's recorded cost split by token type in proportion to its list prices; null when unpriced. */
function splitCost(model: string, entry: ModelTotals): Record<TokenType, number> | null {
  const price = modelPrice(model);
  if (!price) return null;
  const list = Object.fromEntries(TOKEN_TYPES.map((type) => [type, entry.tokens[type] * price[type]])) as Record<TokenType, number>;
  const listTotal = TOKEN_TYPES.reduce((sum, type) => sum + list[type], 0);
  const scale = listTotal === 0 ? 0 : entry.costUSD / listTotal;
  return Object.fromEntries(TOKEN_TYPES.map((type) => [type, list[type] * scale])) as Record<TokenType, number>;
}
