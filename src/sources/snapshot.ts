/**
 * The warm path of the read cache: the merged events of the last read, stored column-wise with a
 * list of the files (path, size, mtime) they came from. When a read selects exactly those files,
 * unchanged, the events are decoded directly: no per-file state, no merging.
 *
 * The columns are binary (32-bit string references, 64-bit numbers) behind a small JSON header
 * with the string table, and the request keys follow as one run of text: written from typed
 * arrays and read back as views of the file, with nothing to parse. As JSON arrays they cost a cold read of 1 GB 0.12 s to write and a warm
 * one 0.1 s to parse.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CheckedWriter, readCheckedBufferSync } from './cache.js';
import { TOKEN_TYPES, type Agent, type ReadDiagnostics, type UsageEvent } from './events.js';
import type { Phase } from './phase.js';
import { StringTable, stringAt } from './string-table.js';

const SNAPSHOT_FORMAT = 5;

export type FileFingerprint = [path: string, size: number, mtimeMs: number];

/** Per event: agent, sessionId, project, model, agentId, agentVersion, entrypoint, gitBranch (string references, -1 = null). */
const REFS = 8;
/** Per event: timestampMs, five token counts, reasoning, web searches, turn, flags (1 sidechain, 2 fast), tool count. */
const NUMBERS = 11;
/** Per tool call: name and phase (string references). */
const TOOL_REFS = 2;

interface Header {
  format: number;
  parser: string;
  files: FileFingerprint[];
  diagnostics: ReadDiagnostics;
  strings: string[];
  events: number;
  toolCalls: number;
  /** Bytes of the request keys at the end (UTF-8, one per event, lengths in their own column). */
  keyBytes: number;
}

function snapshotPath(dir: string, name: string): string {
  return path.join(dir, `${name}.events.bin`);
}

function bytesOf(array: Int32Array | Float64Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Events per piece of the number column and the request keys, written as they are encoded. */
const PIECE_EVENTS = 4096;

/**
 * The string references, tool calls and key lengths of every event, which the header (string
 * table, sizes) needs before anything is written. The larger parts, numbers and request keys
 * (two thirds of the file), are encoded piece by piece as they are written (`writeNumbers`,
 * `writeKeys`): whole, they were 20 MB more at the peak of a cold read of 1 GB.
 */
function encodeReferences(events: UsageEvent[]): { strings: string[]; refs: Int32Array; tools: Int32Array; keyLengths: Int32Array; keyBytes: number } {
  const table = new StringTable();
  // Neighbouring events mostly share their session, project, model and versions: a column whose
  // value is the previous event's takes its reference again without a lookup (the lookups were
  // half of encoding 90,000 events).
  const lastValue: (string | null)[] = new Array(REFS).fill(null);
  const lastRef = new Int32Array(REFS).fill(-1);
  const ref = (column: number, value: string | null): number => {
    if (value === lastValue[column]) return lastRef[column]!;
    lastValue[column] = value;
    return (lastRef[column] = table.ref(value));
  };
  const refs = new Int32Array(events.length * REFS);
  const tools = new Int32Array(events.reduce((sum, e) => sum + e.tools.length, 0) * TOOL_REFS);
  const keyLengths = new Int32Array(events.length);
  let keyBytes = 0;
  let t = 0;
  events.forEach((e, i) => {
    const r = i * REFS;
    refs[r] = ref(0, e.agent);
    refs[r + 1] = ref(1, e.sessionId);
    refs[r + 2] = ref(2, e.project);
    refs[r + 3] = ref(3, e.model);
    refs[r + 4] = ref(4, e.agentId);
    refs[r + 5] = ref(5, e.agentVersion);
    refs[r + 6] = ref(6, e.entrypoint);
    refs[r + 7] = ref(7, e.gitBranch);
    for (const tool of e.tools) {
      tools[t++] = table.ref(tool.name);
      tools[t++] = table.ref(tool.phase);
    }
    keyLengths[i] = e.requestKey.length;
    keyBytes += Buffer.byteLength(e.requestKey);
  });
  return { strings: table.strings, refs, tools, keyLengths, keyBytes };
}

function writeNumbers(writer: CheckedWriter, events: UsageEvent[]): void {
  const piece = new Float64Array(PIECE_EVENTS * NUMBERS);
  for (let from = 0; from < events.length; from += PIECE_EVENTS) {
    const to = Math.min(events.length, from + PIECE_EVENTS);
    for (let i = from; i < to; i++) {
      const e = events[i]!;
      const n = (i - from) * NUMBERS;
      piece[n] = e.timestampMs;
      TOKEN_TYPES.forEach((type, k) => (piece[n + 1 + k] = e.tokens[type]));
      piece[n + 6] = e.reasoningOutput;
      piece[n + 7] = e.webSearchRequests;
      piece[n + 8] = e.turn;
      piece[n + 9] = (e.isSidechain ? 1 : 0) | (e.speed === 'fast' ? 2 : 0);
      piece[n + 10] = e.tools.length;
    }
    writer.write(bytesOf(piece.subarray(0, (to - from) * NUMBERS)));
  }
}

function writeKeys(writer: CheckedWriter, events: UsageEvent[]): void {
  for (let from = 0; from < events.length; from += PIECE_EVENTS) {
    let keys = '';
    for (let i = from; i < Math.min(events.length, from + PIECE_EVENTS); i++) keys += events[i]!.requestKey;
    writer.write(keys);
  }
}

/** A view of `length` elements of `bytes` from `offset`, copied only where the file's bytes are not aligned for it. */
function column<T extends Int32Array | Float64Array>(Type: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, bytes: Buffer, offset: number, length: number): T {
  const start = bytes.byteOffset + offset;
  if (start % Type.BYTES_PER_ELEMENT === 0) return new Type(bytes.buffer as ArrayBuffer, start, length);
  const copy = new Uint8Array(length * Type.BYTES_PER_ELEMENT);
  copy.set(bytes.subarray(offset, offset + copy.length));
  return new Type(copy.buffer, 0, length);
}

function decode(header: Header, refs: Int32Array, numbers: Float64Array, tools: Int32Array, keyLengths: Int32Array, keys: string): UsageEvent[] {
  const { strings } = header;
  const text = (i: number): string | null => stringAt(strings, i);
  const events: UsageEvent[] = [];
  // Events with the same calls share one list (events are read, never changed): most responses
  // call one or two of a few tools, and a list each was most of what decoding allocated.
  const lists = new Map<string, UsageEvent['tools']>();
  let toolAt = 0;
  let keyAt = 0;
  for (let e = 0; e < header.events; e++) {
    const r = e * REFS;
    const n = e * NUMBERS;
    const toolCount = numbers[n + 10]!;
    let listKey = '';
    for (let k = 0; k < toolCount * TOOL_REFS; k++) listKey += `${tools[toolAt + k]},`;
    let calls = lists.get(listKey);
    if (calls === undefined) {
      calls = [];
      for (let k = 0; k < toolCount; k++) calls.push({ name: strings[tools[toolAt + k * TOOL_REFS]!]!, phase: strings[tools[toolAt + k * TOOL_REFS + 1]!] as Phase });
      lists.set(listKey, calls);
    }
    toolAt += toolCount * TOOL_REFS;
    events.push({
      agent: text(refs[r]!) as Agent,
      sessionId: text(refs[r + 1]!)!,
      project: text(refs[r + 2]!)!,
      requestKey: keys.slice(keyAt, (keyAt += keyLengths[e]!)),
      model: text(refs[r + 3]!)!,
      agentId: text(refs[r + 4]!),
      agentVersion: text(refs[r + 5]!),
      entrypoint: text(refs[r + 6]!),
      gitBranch: text(refs[r + 7]!),
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

/** Where the body starts in the file: after the checksum line (40 hex digits and a newline). */
const BODY_START = 41;

/**
 * Offsets in the body of each part: the header's length (4 bytes), the header, then the columns
 * (string references, numbers, tool calls, key lengths), each starting at a multiple of its
 * element size counted from the start of the file, so a file read whole into one buffer can be
 * viewed as typed arrays without copying; last the request keys, end to end.
 */
function layout(headerBytes: number, { events, toolCalls, keyBytes }: Pick<Header, 'events' | 'toolCalls' | 'keyBytes'>) {
  const align = (offset: number) => offset + ((8 - ((BODY_START + offset) % 8)) % 8);
  const refsAt = align(4 + headerBytes);
  const numbersAt = align(refsAt + events * REFS * 4);
  const toolsAt = numbersAt + events * NUMBERS * 8;
  const keyLengthsAt = toolsAt + toolCalls * TOOL_REFS * 4;
  const keysAt = keyLengthsAt + events * 4;
  return { refsAt, numbersAt, toolsAt, keyLengthsAt, keysAt, end: keysAt + keyBytes };
}

/** The events of the last read, if it read exactly `files` as they are now; else undefined. */
export async function loadSnapshot(
  dir: string,
  name: string,
  parserVersion: string,
  files: FileFingerprint[],
): Promise<{ events: UsageEvent[]; diagnostics: ReadDiagnostics } | undefined> {
  const body = readCheckedBufferSync(snapshotPath(dir, name));
  if (!body || body.length < 4) return undefined;
  try {
    const headerBytes = body.readUInt32LE(0);
    const header = JSON.parse(body.toString('utf8', 4, 4 + headerBytes)) as Header;
    if (header.format !== SNAPSHOT_FORMAT || header.parser !== parserVersion || !sameFiles(header.files, files)) return undefined;
    const at = layout(headerBytes, header);
    if (at.end !== body.length) return undefined;
    const refs = column(Int32Array, body, at.refsAt, header.events * REFS);
    const numbers = column(Float64Array, body, at.numbersAt, header.events * NUMBERS);
    const tools = column(Int32Array, body, at.toolsAt, header.toolCalls * TOOL_REFS);
    const keyLengths = column(Int32Array, body, at.keyLengthsAt, header.events);
    // One string for all keys; each event's key is a slice of it.
    const keys = body.toString('utf8', at.keysAt, at.end);
    if (keyLengths.reduce((sum, length) => sum + length, 0) !== keys.length) return undefined;
    return { events: decode(header, refs, numbers, tools, keyLengths, keys), diagnostics: header.diagnostics };
  } catch {
    return undefined; // a body that checks out but does not add up: read afresh
  }
}

/** Stores the merged events of a read of `files`. */
export async function saveSnapshot(dir: string, name: string, parserVersion: string, files: FileFingerprint[], events: UsageEvent[], diagnostics: ReadDiagnostics): Promise<void> {
  const { strings, refs, tools, keyLengths, keyBytes } = encodeReferences(events);
  const counts = { events: events.length, toolCalls: tools.length / TOOL_REFS, keyBytes };
  const header = Buffer.from(JSON.stringify({ format: SNAPSHOT_FORMAT, parser: parserVersion, files, diagnostics, strings, ...counts } satisfies Header));
  const at = layout(header.length, counts);
  const start = Buffer.alloc(at.refsAt); // the header's length, the header, zeros up to the columns
  start.writeUInt32LE(header.length, 0);
  header.copy(start, 4);
  const writer = new CheckedWriter(snapshotPath(dir, name));
  for (const piece of [start, bytesOf(refs), Buffer.alloc(at.numbersAt - at.refsAt - refs.byteLength)]) writer.write(piece);
  writeNumbers(writer, events);
  writer.write(bytesOf(tools));
  writer.write(bytesOf(keyLengths));
  writeKeys(writer, events);
  writer.commit();
  // The JSON snapshot of format 2 (tokenledger 0.1).
  const legacy = path.join(dir, `${name}.events.json`);
  if (existsSync(legacy)) rmSync(legacy, { force: true });
}
