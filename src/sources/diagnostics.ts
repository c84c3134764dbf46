/** Adding up `ReadDiagnostics` across lines and files without letting the samples grow unbounded. */
import type { ReadDiagnostics } from './events.js';

/** A user needs a few places to look at, not every bad line of a damaged file. */
export const MAX_MALFORMED_SAMPLES = 10;

/** Counts one malformed line or file and keeps its sample (`file:line: reason`) while there is room. */
export function addMalformed(diagnostics: ReadDiagnostics, sample: string): void {
  diagnostics.malformedLines += 1;
  if (diagnostics.malformedSamples.length < MAX_MALFORMED_SAMPLES) diagnostics.malformedSamples.push(sample);
}

/** Adds `from` into `into` in place. */
export function addDiagnostics(into: ReadDiagnostics, from: ReadDiagnostics): void {
  into.filesRead += from.filesRead;
  into.lines += from.lines;
  into.responses += from.responses;
  into.duplicateLines += from.duplicateLines;
  into.malformedLines += from.malformedLines;
  into.skippedLines += from.skippedLines;
  const room = MAX_MALFORMED_SAMPLES - into.malformedSamples.length;
  into.malformedSamples.push(...from.malformedSamples.slice(0, Math.max(0, room)));
}
