/**
 * One line of an OTLP/JSON export -> the Claude Code API requests and token data points it holds.
 * Pure: the caller reads the lines and adds up what comes back.
 *
 * Attribute names are the documented ones (shared/reference/agent-integration.md §4). Where the
 * reference is silent we say so beside the choice.
 */
import { isBlank, looksLikeJsonObject } from '../jsonl.js';
import { describeZodIssues } from '../../errors.js';
import type { TokenType, UsageEvent } from '../events.js';
import { AttributeReader, nanosToMs, RecordError } from './attributes.js';
import { exportedEvent } from './event.js';
import { sessionLevelKey } from './keys.js';
import { API_REQUEST_EVENT, exportLineSchema, temporalityOf, TOKEN_USAGE_METRIC, type Attributes, type LogRecord, type NumberDataPoint } from './schema.js';

/** One data point of `claude_code.token.usage`, reduced to what aggregation needs. */
export interface TokenPoint {
  sessionId: string;
  model: string;
  speed: UsageEvent['speed'];
  type: TokenType;
  value: number;
  /** Start of the point's interval (delta) or of its running total (cumulative). */
  startMs: number | null;
  timeMs: number;
  temporality: 'delta' | 'cumulative';
  /** The series the point belongs to (all its attributes): cumulative totals are differenced within one. */
  series: string;
}

export type LineOutcome =
  | { kind: 'skipped' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'usage'; requests: UsageEvent[]; points: TokenPoint[]; problems: string[] };

/**
 * The metric's `type` values -> our token types. The metric does not split cache writes by
 * duration (the reference is silent on which one it counts), so they are taken as 5-minute writes,
 * the cheaper price: exported-only cost may be low for sessions that used 1-hour caching.
 */
const METRIC_TYPES: Record<string, TokenType> = { input: 'input', output: 'output', cacheRead: 'cacheRead', cacheCreation: 'cacheWrite5m' };

const SESSION_WHY = 'needed to join exports with transcripts; Claude Code sends it by default';

const MARKERS = [Buffer.from('api_request'), Buffer.from(TOKEN_USAGE_METRIC)];

function isApiRequest(record: LogRecord, attributes: AttributeReader): boolean {
  if (record.eventName === API_REQUEST_EVENT || record.body?.stringValue === API_REQUEST_EVENT) return true;
  const name = attributes.string('event.name');
  return name === 'api_request' || name === API_REQUEST_EVENT;
}

function requiredString(attributes: AttributeReader, name: string, why: string): string {
  const value = attributes.string(name);
  if (value === null) throw new RecordError(attributes.field(name), `missing (${why})`);
  return value;
}

function speedOf(attributes: AttributeReader): UsageEvent['speed'] {
  return attributes.string('speed') === 'fast' ? 'fast' : 'standard';
}

/** `event.timestamp` (ISO-8601, documented on every event), else the record's own times. */
function eventTimeMs(record: LogRecord, attributes: AttributeReader): number {
  const stamp = attributes.string('event.timestamp');
  if (stamp !== null) {
    const ms = Date.parse(stamp);
    if (Number.isNaN(ms)) throw new RecordError(attributes.field('event.timestamp'), `not an ISO-8601 time: ${JSON.stringify(stamp)}`);
    return ms;
  }
  const nanos = record.timeUnixNano ?? record.observedTimeUnixNano;
  if (nanos === undefined || nanos === 0 || nanos === '0') throw new RecordError(attributes.field('event.timestamp'), 'missing, and the record has no time');
  return nanosToMs(nanos);
}

function readApiRequest(record: LogRecord, attributes: AttributeReader, origin: string): UsageEvent {
  const sessionId = requiredString(attributes, 'session.id', SESSION_WHY);
  const requestId = attributes.string('request_id');
  const timestampMs = eventTimeMs(record, attributes);
  // Without a request id: time and sequence (documented on every event; a resumed session may
  // count its sequence afresh), else the record's place, so two calls never share a key.
  const place = attributes.string('event.sequence') ?? `${origin}#${attributes.at}`;
  return exportedEvent({
    sessionId,
    requestKey: requestId ?? sessionLevelKey('event', sessionId, String(timestampMs), place),
    timestampMs,
    model: requiredString(attributes, 'model', 'documented on every api_request'),
    tokens: {
      input: attributes.count('input_tokens'),
      output: attributes.count('output_tokens'),
      // No 5m/1h split in the event either (see METRIC_TYPES).
      cacheWrite5m: attributes.count('cache_creation_tokens'),
      cacheWrite1h: 0,
      cacheRead: attributes.count('cache_read_tokens'),
    },
    speed: speedOf(attributes),
    agentVersion: attributes.string('app.version'),
    entrypoint: attributes.string('app.entrypoint'),
  });
}

function readTokenPoint(point: NumberDataPoint, attributes: AttributeReader, temporality: TokenPoint['temporality'], series: string): TokenPoint {
  const type = METRIC_TYPES[attributes.string('type') ?? ''];
  if (type === undefined) throw new RecordError(attributes.field('type'), `expected one of ${Object.keys(METRIC_TYPES).join(', ')}`);
  const raw = point.asInt ?? point.asDouble;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (value === undefined || !Number.isFinite(value) || value < 0) throw new RecordError(`${attributes.at}.asInt`, `expected a non-negative number, got ${JSON.stringify(raw ?? null)}`);
  if (point.timeUnixNano === undefined) throw new RecordError(`${attributes.at}.timeUnixNano`, 'missing');
  return {
    sessionId: requiredString(attributes, 'session.id', SESSION_WHY),
    model: requiredString(attributes, 'model', 'documented on every token.usage point'),
    speed: speedOf(attributes),
    type,
    value: Math.round(value),
    startMs: point.startTimeUnixNano === undefined ? null : nanosToMs(point.startTimeUnixNano),
    timeMs: nanosToMs(point.timeUnixNano),
    temporality,
    series,
  };
}

function seriesOf(attributes: Attributes, resource: Attributes): string {
  const pairs = [...(resource ?? []), ...(attributes ?? [])].map(({ key, value }) => `${key}=${JSON.stringify(value ?? null)}`);
  return pairs.sort().join('\u0000');
}

/**
 * Reads one line; `origin` (`file:line`) tells apart records that carry no id at all.
 * `problems` are records that could not be read (`path: reason`); the line's other records still count.
 */
export function parseExportLine(raw: Buffer, origin: string): LineOutcome {
  if (isBlank(raw)) return { kind: 'skipped' };
  // Cheap pre-filter: exports are mostly other events and metrics.
  if (!MARKERS.some((marker) => raw.indexOf(marker) !== -1)) {
    return looksLikeJsonObject(raw) ? { kind: 'skipped' } : { kind: 'malformed', reason: 'not a JSON object (truncated line?)' };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return { kind: 'malformed', reason: `invalid JSON (${(error as Error).message})` };
  }
  const parsed = exportLineSchema.safeParse(json);
  if (!parsed.success) return { kind: 'malformed', reason: describeZodIssues(parsed.error.issues).slice(0, 2).join('; ') };

  const requests: UsageEvent[] = [];
  const points: TokenPoint[] = [];
  const problems: string[] = [];
  const attempt = (read: () => void) => {
    try {
      read();
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      problems.push(error.message);
    }
  };
  parsed.data.resourceLogs?.forEach((resourceLogs, r) =>
    resourceLogs.scopeLogs?.forEach((scope, s) =>
      scope.logRecords?.forEach((record, l) => {
        const attributes = new AttributeReader(record.attributes, resourceLogs.resource?.attributes, `resourceLogs[${r}].scopeLogs[${s}].logRecords[${l}]`);
        attempt(() => {
          if (isApiRequest(record, attributes)) requests.push(readApiRequest(record, attributes, origin));
        });
      }),
    ),
  );
  parsed.data.resourceMetrics?.forEach((resourceMetrics, r) =>
    resourceMetrics.scopeMetrics?.forEach((scope, s) =>
      scope.metrics?.forEach((metric, m) => {
        if (metric.name !== TOKEN_USAGE_METRIC) return;
        const at = `resourceMetrics[${r}].scopeMetrics[${s}].metrics[${m}]`;
        const temporality = temporalityOf(metric.sum?.aggregationTemporality);
        if (temporality === null) {
          problems.push(`${at}.sum.aggregationTemporality: expected 1 (delta) or 2 (cumulative), got ${JSON.stringify(metric.sum?.aggregationTemporality ?? null)}`);
          return;
        }
        metric.sum?.dataPoints?.forEach((point, p) => {
          const attributes = new AttributeReader(point.attributes, resourceMetrics.resource?.attributes, `${at}.sum.dataPoints[${p}]`);
          attempt(() => {
            points.push(readTokenPoint(point, attributes, temporality, seriesOf(point.attributes, resourceMetrics.resource?.attributes)));
          });
        });
      }),
    ),
  );
  if (requests.length === 0 && points.length === 0 && problems.length === 0) return { kind: 'skipped' };
  return { kind: 'usage', requests, points, problems };
}
