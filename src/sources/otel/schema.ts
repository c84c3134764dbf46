/**
 * The part of OTLP/JSON we read: one line of an OpenTelemetry collector's `file` exporter is one
 * `ExportLogsServiceRequest` (`resourceLogs`) or `ExportMetricsServiceRequest` (`resourceMetrics`).
 * Objects are loose (unknown keys kept out of the way, not rejected): the protocol grows fields,
 * and a line is malformed only when what we read is not what OTLP promises.
 *
 * Claude Code's names (shared/reference/agent-integration.md §4): the `claude_code.api_request`
 * event and the `claude_code.token.usage` metric with a `type` attribute.
 */
import { z } from 'zod';

/** The event Claude Code writes once per billed API call, with its token counts. */
export const API_REQUEST_EVENT = 'claude_code.api_request';
/** The token counter: one data point per (attributes, type) and export interval. */
export const TOKEN_USAGE_METRIC = 'claude_code.token.usage';

/** int64 in OTLP/JSON is a decimal string; some exporters write a plain number. */
const int64 = z.union([z.string().regex(/^-?\d+$/, 'expected an integer'), z.number().int()]);
const nanos = z.union([z.string().regex(/^\d+$/, 'expected nanoseconds since the epoch'), z.number().int().nonnegative()]);

/** An attribute value. Nested arrays and maps are kept opaque: nothing we read uses them. */
export const anyValueSchema = z.object({
  stringValue: z.string().optional(),
  boolValue: z.boolean().optional(),
  intValue: int64.optional(),
  // JSON has no NaN or Infinity: protobuf's JSON mapping writes them as strings.
  doubleValue: z.union([z.number(), z.string()]).optional(),
  arrayValue: z.unknown().optional(),
  kvlistValue: z.unknown().optional(),
  bytesValue: z.string().optional(),
});
export type AnyValue = z.infer<typeof anyValueSchema>;

const attributesSchema = z.array(z.object({ key: z.string(), value: anyValueSchema.optional() })).optional();
export type Attributes = z.infer<typeof attributesSchema>;

const resourceSchema = z.object({ attributes: attributesSchema }).optional();

export const logRecordSchema = z.object({
  timeUnixNano: nanos.optional(),
  observedTimeUnixNano: nanos.optional(),
  /** OTLP 1.5+ carries the event name here; older SDKs put it in `body` or an `event.name` attribute. */
  eventName: z.string().optional(),
  body: anyValueSchema.optional(),
  attributes: attributesSchema,
});
export type LogRecord = z.infer<typeof logRecordSchema>;

export const numberDataPointSchema = z.object({
  attributes: attributesSchema,
  startTimeUnixNano: nanos.optional(),
  timeUnixNano: nanos.optional(),
  asInt: int64.optional(),
  asDouble: z.union([z.number(), z.string()]).optional(),
});
export type NumberDataPoint = z.infer<typeof numberDataPointSchema>;

/** 1 and 2 are DELTA and CUMULATIVE; protobuf's JSON mapping may also spell the enum name. */
const temporalitySchema = z.union([z.number().int(), z.string()]).optional();

export const metricSchema = z.object({
  name: z.string(),
  sum: z.object({ dataPoints: z.array(numberDataPointSchema).optional(), aggregationTemporality: temporalitySchema }).optional(),
});

export const exportLineSchema = z.object({
  resourceLogs: z
    .array(z.object({ resource: resourceSchema, scopeLogs: z.array(z.object({ logRecords: z.array(logRecordSchema).optional() })).optional() }))
    .optional(),
  resourceMetrics: z
    .array(z.object({ resource: resourceSchema, scopeMetrics: z.array(z.object({ metrics: z.array(metricSchema).optional() })).optional() }))
    .optional(),
});
export type ExportLine = z.infer<typeof exportLineSchema>;

/** Delta (each point is what happened in its interval) or cumulative (a running total since its start). */
export function temporalityOf(value: number | string | undefined): 'delta' | 'cumulative' | null {
  if (value === 1 || value === 'AGGREGATION_TEMPORALITY_DELTA') return 'delta';
  if (value === 2 || value === 'AGGREGATION_TEMPORALITY_CUMULATIVE') return 'cumulative';
  return null;
}
