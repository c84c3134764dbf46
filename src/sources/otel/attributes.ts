/** Reading OTLP attributes by name, with errors that name the record and the attribute. */
import type { AnyValue, Attributes } from './schema.js';

/** A record whose attribute is not what Claude Code documents; `field` is the path in the line. */
export class RecordError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

function describe(value: AnyValue): string {
  return JSON.stringify(value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue ?? null);
}

/**
 * A record's attributes, falling back to its resource's. Claude Code copies resource attributes
 * onto every record unless told not to (`OTEL_METRICS_INCLUDE_RESOURCE_ATTRIBUTES=false`), so
 * `session.id` or `app.version` may sit in either place.
 */
export class AttributeReader {
  private readonly values = new Map<string, AnyValue>();

  constructor(
    own: Attributes,
    resource: Attributes,
    /** Where the record sits in its line, e.g. `resourceLogs[0].scopeLogs[0].logRecords[2]`. */
    readonly at: string,
  ) {
    for (const { key, value } of resource ?? []) if (value) this.values.set(key, value);
    for (const { key, value } of own ?? []) if (value) this.values.set(key, value);
  }

  field(name: string): string {
    return `${this.at}.attributes.${name}`;
  }

  /** A non-empty string (an integer value is read as its decimal text), or null when absent. */
  string(name: string): string | null {
    const value = this.values.get(name);
    if (value === undefined) return null;
    if (value.stringValue !== undefined) return value.stringValue === '' ? null : value.stringValue;
    if (value.intValue !== undefined) return String(value.intValue);
    throw new RecordError(this.field(name), `expected a string, got ${describe(value)}`);
  }

  /** A token count: 0 when absent; Claude Code has written it as int, double and numeric string. */
  count(name: string): number {
    const value = this.values.get(name);
    if (value === undefined) return 0;
    const raw = value.intValue ?? value.doubleValue ?? value.stringValue;
    const number = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
      throw new RecordError(this.field(name), `expected a non-negative number, got ${describe(value)}`);
    }
    return Math.round(number);
  }
}

/** Epoch ms from OTLP nanoseconds (string or number), exactly: BigInt keeps the digits a double drops. */
export function nanosToMs(nanos: string | number): number {
  return Number(BigInt(nanos) / 1_000_000n);
}
