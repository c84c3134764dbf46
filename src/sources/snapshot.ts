/**
 * The warm path of the read cache: the merged events of the last read, stored column-wise with a
 * list of the files (path, size, mtime) they came from. When a read selects exactly those files,
 * unchanged, the events are decoded directly: no per-file state, no merging.
 *
 * Columns (numbers and a string table) parse several times faster than one object per event,
 * which is what keeps a repeated report close to Node's own start-up time.
 */
import path from 'node:path';
import { readCheckedSync, writeCheckedSync } from './cache.js';
import { TOKEN_TYPES, type Agent, type ReadDiagnostics, type UsageEvent } from './events.js';
import type { Phase } from './phase.js';
import { StringTable, stringAt } from './string-table.js';

const SNAPSHOT_FORMAT = 2;

export type FileFingerprint = [path: string, size: number, mtimeMs: number];

interface Columns {
  strings: string[];
  /** Per event: agent, sessionId, project, requestKey, model, agentId, agentVersion, entrypoint, gitBranch (string indexes, -1 = null). */
  refs: number[];
  /** Per event: timestampMs, five token counts, reasoning, web searches, turn, flags (1 sidechain, 2 fast), tool count. */
  numbers: number[];
  /** Per tool call: name and phase (string indexes). */
  tools: number[];
}

const REFS = 9;
const NUMBERS = 11;

/** Numbers or strings per JSON piece: large enough to write fast, small enough to hold nothing big. */
const PIECE = 1 << 13;

/** A JSON array of what `add` gives for each item, in pieces of about `PIECE` elements. */
function* jsonArray<T>(items: Iterable<T>, add: (item: T, out: unknown[]) => void): Generator<string> {
  yield '[';
  let slice: unknown[] = [];
  let separator = '';
  for (const item of items) {
    add(item, slice);
    if (slice.length < PIECE) continue;
    yield separator + JSON.stringify(slice).slice(1, -1);
    separator = ',';
    slice = [];
  }
  if (slice.length > 0) yield separator + JSON.stringify(slice).slice(1, -1);
  yield ']';
}

/**
 * The snapshot file's JSON in pieces: `header` and the events' `Columns` (strings last, once all
 * are known), never built as whole arrays or one string (the events of 1 GB of transcripts were
 * tens of megabytes of columns and text at the peak of a cold read).
 */
function* encode(header: object, events: UsageEvent[]): Generator<string> {
  const table = new StringTable();
  const ref = (value: string | null): number => table.ref(value);
  yield `${JSON.stringify(header).slice(0, -1)},"columns":{"refs":`;
  yield* jsonArray(events, (e, out) => out.push(ref(e.agent), ref(e.sessionId), ref(e.project), ref(e.requestKey), ref(e.model), ref(e.agentId), ref(e.agentVersion), ref(e.entrypoint), ref(e.gitBranch)));
  yield ',"numbers":';
  yield* jsonArray(events, (e, out) => {
    out.push(e.timestampMs);
    for (const type of TOKEN_TYPES) out.push(e.tokens[type]);
    out.push(e.reasoningOutput, e.webSearchRequests, e.turn, (e.isSidechain ? 1 : 0) | (e.speed === 'fast' ? 2 : 0), e.tools.length);
  });
  yield ',"tools":';
  yield* jsonArray(events, (e, out) => {
    for (const tool of e.tools) out.push(ref(tool.name), ref(tool.phase));
  });
  yield ',"strings":';
  yield* jsonArray(table.strings, (value, out) => out.push(value));
  yield '}}';
}

function decode(columns: Columns): UsageEvent[] {
  const { strings, refs, numbers, tools } = columns;
  const text = (i: number): string | null => stringAt(strings, i);
  const events: UsageEvent[] = [];
  let toolAt = 0;
  for (let e = 0; e * REFS < refs.length; e++) {
    const r = e * REFS;
    const n = e * NUMBERS;
    const toolCount = numbers[n + 10]!;
    const calls = [];
    for (let t = 0; t < toolCount; t++, toolAt += 2) calls.push({ name: strings[tools[toolAt]!]!, phase: strings[tools[toolAt + 1]!] as Phase });
    events.push({
      agent: text(refs[r]!) as Agent,
      sessionId: text(refs[r + 1]!)!,
      project: text(refs[r + 2]!)!,
      requestKey: text(refs[r + 3]!)!,
      model: text(refs[r + 4]!)!,
      agentId: text(refs[r + 5]!),
      agentVersion: text(refs[r + 6]!),
      entrypoint: text(refs[r + 7]!),
      gitBranch: text(refs[r + 8]!),
      timestampMs: numbers[n]!,
      tokens: { input: numbers[n + 1]!, output: numbers[n + 2]!, cacheWrite5m: numbers[n + 3]!, cacheWrite1h: numbers[n + 4]!, cacheRead: numbers[n + 5]! },
      reasoningOutput: numbers[n + 6]!,
      webSearchRequests: numbers[n + 7]!,
      turn: numbers[n + 8]!,
      isSidechain: (numbers[n + 9]! & 1) !== 0,
      speed: (numbers[n + 9]! & 2) !== 0 ? 'fast' : 'standard',
      tools: calls,
    });
  }
  return events;
}

function sameFiles(a: FileFingerprint[], b: FileFingerprint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const [pathA, sizeA, mtimeA] = a[i]!;
    const [pathB, sizeB, mtimeB] = b[i]!;
    if (pathA !== pathB || sizeA !== sizeB || mtimeA !== mtimeB) return false;
  }
  return true;
}

/** The events of the last read, if it read exactly `files` as they are now; else undefined. */
export async function loadSnapshot(
  dir: string,
  name: string,
  parserVersion: string,
  files: FileFingerprint[],
): Promise<{ events: UsageEvent[]; diagnostics: ReadDiagnostics } | undefined> {
  const snapshot = readCheckedSync(path.join(dir, `${name}.events.json`)) as
    | { format: number; parser: string; files: FileFingerprint[]; diagnostics: ReadDiagnostics; columns: Columns }
    | undefined;
  if (!snapshot || snapshot.format !== SNAPSHOT_FORMAT || snapshot.parser !== parserVersion || !sameFiles(snapshot.files, files)) return undefined;
  return { events: decode(snapshot.columns), diagnostics: snapshot.diagnostics };
}

/** Stores the merged events of a read of `files`. */
export async function saveSnapshot(dir: string, name: string, parserVersion: string, files: FileFingerprint[], events: UsageEvent[], diagnostics: ReadDiagnostics): Promise<void> {
  writeCheckedSync(path.join(dir, `${name}.events.json`), encode({ format: SNAPSHOT_FORMAT, parser: parserVersion, files, diagnostics }, events));
}
