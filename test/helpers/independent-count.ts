/**
 * The billing rule, written independently of the parser, to check its totals against: one count
 * per (message.id, requestId) — message id alone without a request id — over every assistant line
 * of every file, keeping the snapshot with the largest output; `<synthetic>` lines bill nothing;
 * an unsplit cache write is 5-minute. Unparseable lines are skipped.
 */
import { TOKEN_TYPES, type TokenCounts } from '../../src/sources/events.js';

type Json = Record<string, any>;

export function independentCount(texts: string[]): { tokens: TokenCounts; responses: number; total: number } {
  const best = new Map<string, { output: number; total: number; tokens: TokenCounts }>();
  let unkeyed = 0;
  for (const text of texts) {
    for (const raw of text.split('\n')) {
      let line: Json;
      try {
        line = JSON.parse(raw);
      } catch {
        continue;
      }
      const usage = line?.message?.usage;
      if (line.type !== 'assistant' || !usage || line.message.model === '<synthetic>') continue;
      const split = usage.cache_creation;
      const tokens: TokenCounts = {
        input: usage.input_tokens ?? 0,
        output: usage.output_tokens ?? 0,
        cacheWrite5m: split ? (split.ephemeral_5m_input_tokens ?? 0) : (usage.cache_creation_input_tokens ?? 0),
        cacheWrite1h: split ? (split.ephemeral_1h_input_tokens ?? 0) : 0,
        cacheRead: usage.cache_read_input_tokens ?? 0,
      };
      const total = TOKEN_TYPES.reduce((sum, type) => sum + tokens[type], 0);
      const key = line.message.id ? `${line.message.id}|${line.requestId ?? ''}` : `unkeyed-${unkeyed++}`;
      const kept = best.get(key);
      if (!kept || tokens.output > kept.output || (tokens.output === kept.output && total > kept.total)) best.set(key, { output: tokens.output, total, tokens });
    }
  }
  const sum: TokenCounts = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
  for (const { tokens } of best.values()) for (const type of TOKEN_TYPES) sum[type] += tokens[type];
  return { tokens: sum, responses: best.size, total: TOKEN_TYPES.reduce((all, type) => all + sum[type], 0) };
}
