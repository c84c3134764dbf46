/**
 * Transcripts and OpenTelemetry exports describe the same Claude Code calls: read together, each
 * call counts once. The transcript's event wins (it has the project, turn and tool calls); an
 * exported event without a transcript counterpart is kept: its transcript was deleted (Claude
 * Code removes them after 30 days), or the call never reached a transcript.
 */
import type { UsageEvent } from '../events.js';
import { requestIdOfKey, sessionLevelKind } from './keys.js';

export interface ExportJoin {
  /** Exported events no transcript holds. */
  kept: UsageEvent[];
  /** Exported events dropped because the transcripts hold the same call. */
  joined: number;
  /** What the user should know about the kept events (metric aggregates counted). */
  notes: string[];
}

/**
 * Joins on the request id (`keys.ts`); what carries none (metric aggregates, an api_request
 * without `request_id`) is joined by session: kept only when no transcript of its session was read.
 */
export function joinExports(transcriptEvents: readonly UsageEvent[], exportEvents: readonly UsageEvent[]): ExportJoin {
  // Nothing to join (no exports read, the usual case): spare indexing every transcript event.
  if (exportEvents.length === 0) return { kept: [], joined: 0, notes: [] };
  const requestIds = new Set<string>();
  const sessions = new Set<string>();
  for (const event of transcriptEvents) {
    if (event.agent !== 'claude-code') continue;
    requestIds.add(requestIdOfKey(event.requestKey));
    sessions.add(event.sessionId);
  }
  const kept = exportEvents.filter((event) =>
    sessionLevelKind(event.requestKey) === null ? !requestIds.has(requestIdOfKey(event.requestKey)) : !sessions.has(event.sessionId),
  );
  return { kept, joined: exportEvents.length - kept.length, notes: describeMetricAggregates(kept) };
}

/** Says when metric aggregates were counted: they carry no requests, turns or tool calls (metrics.ts). */
function describeMetricAggregates(events: readonly UsageEvent[]): string[] {
  const sessions = new Set(events.filter((event) => sessionLevelKind(event.requestKey) === 'metrics').map((event) => event.sessionId));
  if (sessions.size === 0) return [];
  return [
    `${sessions.size} session(s) in the OpenTelemetry exports have token metrics but no api_request events or transcripts: ` +
      'counted per session and export interval, without request ids, turns or tool calls (export events too: OTEL_LOGS_EXPORTER=otlp).',
  ];
}
