/**
 * `claude_code.token.usage` data points -> usage events, for sessions whose exports hold no
 * `api_request` events (metrics-only exports).
 *
 * Metrics cannot be split per request: a point is what one series (session, model, type and the
 * other attributes) added in one export interval (60 s by default). So each event here is an
 * aggregate: one per session, model, speed and point time, keyed by session (`keys.ts`). It is
 * counted exactly, but it has no request id, turn or tool calls, and it is joined to transcripts
 * by session only. `join.ts` adds a note to the read whenever one is counted.
 */
import { zeroTokens, type UsageEvent } from '../events.js';
import { exportedEvent } from './event.js';
import { sessionLevelKey } from './keys.js';
import type { TokenPoint } from './parse.js';

export interface MetricAggregation {
  events: UsageEvent[];
  /** Points seen twice (same series and time, e.g. one export read through two paths), counted once. */
  duplicatePoints: number;
}

/**
 * What each point adds: a delta point its value; a cumulative point its increase over the previous
 * point of its series (the first point, its whole value: the total since the series started).
 */
function pointAmounts(points: readonly TokenPoint[]): { amounts: { point: TokenPoint; amount: number }[]; duplicatePoints: number } {
  const seen = new Set<string>();
  const series = new Map<string, TokenPoint[]>();
  let duplicatePoints = 0;
  for (const point of points) {
    const id = `${point.series}\u0000${point.startMs}\u0000${point.timeMs}`;
    if (seen.has(id)) {
      duplicatePoints++;
      continue;
    }
    seen.add(id);
    const key = `${point.temporality}\u0000${point.series}\u0000${point.startMs}`;
    const list = series.get(key);
    if (list) list.push(point);
    else series.set(key, [point]);
  }
  const amounts: { point: TokenPoint; amount: number }[] = [];
  for (const list of series.values()) {
    list.sort((a, b) => a.timeMs - b.timeMs);
    let previous = 0;
    for (const point of list) {
      if (point.temporality === 'delta') amounts.push({ point, amount: point.value });
      // A running total that went down was restarted: its value is all new.
      else amounts.push({ point, amount: point.value >= previous ? point.value - previous : point.value });
      previous = point.value;
    }
  }
  return { amounts, duplicatePoints };
}

export function aggregateTokenPoints(points: readonly TokenPoint[]): MetricAggregation {
  const { amounts, duplicatePoints } = pointAmounts(points);
  const byKey = new Map<string, UsageEvent>();
  for (const { point, amount } of amounts) {
    if (amount === 0) continue;
    const requestKey = sessionLevelKey('metrics', point.sessionId, point.model, point.speed, String(point.timeMs));
    let event = byKey.get(requestKey);
    if (!event) {
      event = exportedEvent({
        sessionId: point.sessionId,
        requestKey,
        timestampMs: point.timeMs,
        model: point.model,
        tokens: zeroTokens(),
        speed: point.speed,
        agentVersion: null, // `app.version` is off by default on metrics
        entrypoint: null,
      });
      byKey.set(requestKey, event);
    }
    event.tokens[point.type] += amount;
  }
  const events = [...byKey.values()].sort((a, b) => a.timestampMs - b.timestampMs || (a.requestKey < b.requestKey ? -1 : 1));
  return { events, duplicatePoints };
}
