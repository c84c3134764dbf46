/**
 * The OpenTelemetry source: Claude Code's OTLP/JSON exports (a collector's `file` exporter) ->
 * usage events of agent `claude-code`. `api_request` events give one event per request; token
 * metrics count only for sessions without such events (`metrics.ts`). Joining with transcripts
 * is `join.ts`, done where both are read (`../index.ts`).
 */
import { emptyDiagnostics, totalTokens, type UsageEvent } from '../events.js';
import { addMalformed } from '../diagnostics.js';
import { isBlank, readLines } from '../jsonl.js';
import type { SourceRead } from '../index.js';
import { aggregateTokenPoints } from './metrics.js';
import { parseExportLine, type TokenPoint } from './parse.js';
import { listOtelExportFiles, OTEL_EXPORTS_ENV, otelExportEntries } from './paths.js';

export interface OtelReadOptions {
  env?: NodeJS.ProcessEnv;
  /** Files or folders to read instead of `TOKENLEDGER_OTEL_EXPORTS` (the `--otel` option). */
  paths?: readonly string[];
  /** Files last modified before this instant are not read. */
  sinceMs?: number;
}

/** The same request exported twice (retries, overlapping files): the fuller record is kept. */
function keepRequest(requests: Map<string, UsageEvent>, event: UsageEvent): boolean {
  const kept = requests.get(event.requestKey);
  if (kept && totalTokens(kept.tokens) >= totalTokens(event.tokens)) return false;
  requests.set(event.requestKey, event);
  return kept === undefined;
}

export async function readOtelExports(options: OtelReadOptions = {}): Promise<SourceRead> {
  const { files, missing } = listOtelExportFiles(otelExportEntries(options.env, options.paths));
  const diagnostics = emptyDiagnostics();
  for (const entry of missing) addMalformed(diagnostics, `${entry}: no such file or folder (named by --otel or ${OTEL_EXPORTS_ENV})`);
  const requests = new Map<string, UsageEvent>();
  const points: TokenPoint[] = [];
  let duplicates = 0;
  for (const file of files) {
    if (options.sinceMs !== undefined && file.mtimeMs < options.sinceMs) continue;
    try {
      readLines(file.path, 0, 0, (raw, lineNumber) => {
        if (isBlank(raw)) return;
        diagnostics.lines++;
        const outcome = parseExportLine(raw, `${file.path}:${lineNumber}`);
        if (outcome.kind === 'skipped') diagnostics.skippedLines++;
        else if (outcome.kind === 'malformed') addMalformed(diagnostics, `${file.path}:${lineNumber}: ${outcome.reason}`);
        else {
          // A bad record is counted and named; the line's other records still count.
          for (const problem of outcome.problems) addMalformed(diagnostics, `${file.path}:${lineNumber}: ${problem}`);
          for (const event of outcome.requests) if (!keepRequest(requests, event)) duplicates++;
          points.push(...outcome.points);
        }
      });
      diagnostics.filesRead++;
    } catch (error) {
      addMalformed(diagnostics, `${file.path}: unreadable (${(error as Error).message})`);
    }
  }

  // Where a session has request events, its metrics describe the same calls: the events win.
  const eventSessions = new Set([...requests.values()].map((event) => event.sessionId));
  const uncovered = points.filter((point) => !eventSessions.has(point.sessionId));
  const aggregation = aggregateTokenPoints(uncovered);
  duplicates += points.length - uncovered.length + aggregation.duplicatePoints;

  const events = [...requests.values(), ...aggregation.events];
  diagnostics.responses = events.length;
  diagnostics.duplicateLines = duplicates;
  return { events, diagnostics };
}
