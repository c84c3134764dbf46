/**
 * A partial read back from a file (a shard's artifact, last night's cache): JSON, then the
 * strict schema. Files like these travel between jobs and nights, so a bad one is named with the
 * file and the fields at fault, never a bare zod dump.
 */
import { describeZodIssues } from '../errors.js';
import { PartialError } from './errors.js';
import { partialSchema, type AggregatePartial } from './partial-schema.js';

/** Parses `text`, the contents of `file` (named in errors as given). Throws PartialError. */
export function parsePartial(text: string, file: string): AggregatePartial {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PartialError(`${file}: not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = partialSchema.safeParse(json);
  if (!parsed.success) throw new PartialError(describeZodIssues(parsed.error.issues).map((line) => `${file}: ${line}`).join('\n'));
  return parsed.data;
}
