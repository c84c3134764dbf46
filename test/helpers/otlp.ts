/**
 * Hand-written OTLP/JSON export lines, as an OpenTelemetry collector's `file` exporter writes
 * Claude Code's telemetry (shared/reference/agent-integration.md §4): one request per line.
 * Token counts are written as Claude Code has been seen to write them: intValue as a string.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

type Scalar = string | number | boolean;
type KeyValue = { key: string; value: Record<string, unknown> };

function anyValue(value: Scalar): Record<string, unknown> {
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  return { stringValue: value };
}

export function attributes(values: Record<string, Scalar | undefined>): KeyValue[] {
  return Object.entries(values)
    .filter((entry): entry is [string, Scalar] => entry[1] !== undefined)
    .map(([key, value]) => ({ key, value: anyValue(value) }));
}

export interface ApiRequestSpec {
  sessionId: string;
  /** Omit to write an event without `request_id`. */
  requestId?: string;
  /** ISO-8601, the `event.timestamp` attribute. */
  timestamp: string;
  model?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheCreation?: number;
  speed?: 'normal' | 'fast';
  sequence?: number;
}

/** The log record of one `claude_code.api_request` event. */
export function apiRequestRecord(spec: ApiRequestSpec): Record<string, unknown> {
  return {
    timeUnixNano: `${Date.parse(spec.timestamp)}000000`,
    observedTimeUnixNano: `${Date.parse(spec.timestamp)}000000`,
    body: { stringValue: 'claude_code.api_request' },
    attributes: attributes({
      'event.name': 'api_request',
      'event.timestamp': spec.timestamp,
      'event.sequence': spec.sequence,
      'session.id': spec.sessionId,
      'user.id': 'anon-install',
      'prompt.id': 'prompt-1',
      model: spec.model ?? 'claude-opus-4-6',
      input_tokens: spec.input ?? 0,
      output_tokens: spec.output ?? 0,
      cache_read_tokens: spec.cacheRead ?? 0,
      cache_creation_tokens: spec.cacheCreation ?? 0,
      cost_usd: 0.0125,
      duration_ms: 2100,
      request_id: spec.requestId,
      speed: spec.speed,
    }),
  };
}

/** Another event in the same batch (not usage). */
export function toolResultRecord(sessionId: string): Record<string, unknown> {
  return { timeUnixNano: '1777629600000000000', body: { stringValue: 'claude_code.tool_result' }, attributes: attributes({ 'event.name': 'tool_result', 'session.id': sessionId, tool_name: 'Bash' }) };
}

/** One `resourceLogs` export line holding the given log records. */
export function logsLine(records: Record<string, unknown>[]): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: attributes({ 'service.name': 'claude-code', 'service.version': '2.1.240' }) },
        scopeLogs: [{ scope: { name: 'com.anthropic.claude_code.events', version: '2.1.240' }, logRecords: records }],
      },
    ],
  });
}

export interface TokenPointSpec {
  sessionId: string;
  model?: string;
  type: 'input' | 'output' | 'cacheRead' | 'cacheCreation';
  value: number;
  /** ISO-8601 end of the interval. */
  time: string;
  start?: string;
}

/** One `resourceMetrics` export line with `claude_code.token.usage` points (1 = delta, 2 = cumulative). */
export function tokenMetricsLine(points: TokenPointSpec[], temporality: 1 | 2 = 1): string {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: attributes({ 'service.name': 'claude-code' }) },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'claude_code.token.usage',
                unit: 'tokens',
                sum: {
                  aggregationTemporality: temporality,
                  isMonotonic: true,
                  dataPoints: points.map((point) => ({
                    attributes: attributes({ 'session.id': point.sessionId, 'user.id': 'anon-install', model: point.model ?? 'claude-opus-4-6', type: point.type }),
                    startTimeUnixNano: `${Date.parse(point.start ?? '2026-05-01T00:00:00Z')}000000`,
                    timeUnixNano: `${Date.parse(point.time)}000000`,
                    asDouble: point.value,
                  })),
                },
              },
              { name: 'claude_code.cost.usage', unit: 'USD', sum: { aggregationTemporality: temporality, isMonotonic: true, dataPoints: [] } },
            ],
          },
        ],
      },
    ],
  });
}

/** Writes export lines to `<dir>/<name>` (folders created) and returns the path. */
export async function writeExport(dir: string, name: string, lines: string[]): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, lines.map((line) => `${line}\n`).join(''));
  return file;
}
