/**
 * A partial on disk (the `partial-file` artifact, last night's `previous-partial`, `site build`'s
 * input), written and read row by row. A partial of a few hundred thousand sessions is larger
 * than V8's longest string (about 512 MiB), so one `JSON.stringify` or `JSON.parse` of it throws.
 * The file stays one JSON document (other tools can read a small one whole), laid out with the
 * header on the first line and each daily and session row on a line of its own:
 *
 *   {"schema":…,"sources":[…],"daily":[
 *   {…},
 *   {…}
 *   ],"sessions":[
 *   {…}
 *   ]}
 *
 * The reader takes that layout line by line and checks each row with its schema, so an error
 * names the file, the line and the field; any other layout of a partial is parsed whole.
 */
import { open, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { readLines } from '../sources/jsonl.js';
import { compiledCheck, type CheckResult } from '../compiled-check.js';
import { describeZodIssues } from '../errors.js';
import { PartialError } from './errors.js';
import { parsePartial } from './parse.js';
import { dailyRowSchema, partialSchema, sessionRowSchema, type AggregatePartial } from './partial-schema.js';

const HEADER_END = ',"daily":[';
const SESSIONS_START = '],"sessions":[';
const headerSchema = partialSchema.omit({ daily: true, sessions: true });
/**
 * Lines gathered before one write. Small enough to die young: megabyte batches lived through
 * collections into the old generation, and writing a million rows that way peaked 200 MiB higher.
 */
const BATCH_BYTES = 1 << 16;

export async function writePartialFile(file: string, partial: AggregatePartial): Promise<void> {
  const { schema, builtBy, priceTables, timezone, duplicateSessions, sources, daily, sessions } = partial;
  const handle = await open(file, 'w');
  try {
    let batch = `${JSON.stringify({ schema, builtBy, priceTables, timezone, duplicateSessions, sources }).slice(0, -1)}${HEADER_END}\n`;
    const flush = async () => {
      await handle.write(batch);
      batch = '';
    };
    const rows = async (list: readonly unknown[]) => {
      for (let i = 0; i < list.length; i++) {
        batch += `${JSON.stringify(list[i])}${i < list.length - 1 ? ',' : ''}\n`;
        if (batch.length >= BATCH_BYTES) await flush();
      }
    };
    await rows(daily);
    batch += `${SESSIONS_START}\n`;
    await rows(sessions);
    batch += ']}\n';
    await flush();
  } finally {
    await handle.close();
  }
}

export interface ReadPartialOptions {
  /**
   * False leaves the daily rows out (`daily: []`) without parsing them: merging and reusing a
   * partial derive them again from the session rows, and they are about half of a large file.
   */
  daily?: boolean;
}

/** Reads and validates a partial file; throws PartialError naming the file (and line and field). */
export async function readPartialFile(file: string, options: ReadPartialOptions = {}): Promise<AggregatePartial> {
  const withDaily = options.daily ?? true;
  try {
    let header: z.infer<typeof headerSchema> | undefined;
    const daily: AggregatePartial['daily'] = [];
    const sessions: AggregatePartial['sessions'] = [];
    // Widened: the callback below moves it on, which TypeScript's narrowing cannot see.
    let section = 'header' as 'header' | 'whole' | 'daily' | 'sessions' | 'end';
    let lineCount = 0;
    // Chunked synchronous reads (as transcripts are read): readline's events cost more than the rows.
    readLines(file, 0, 0, (raw, lineNumber) => {
      lineCount = lineNumber;
      if (section === 'whole') return;
      const line = raw.toString('utf8');
      if (section === 'header') {
        if (!line.endsWith(HEADER_END)) section = 'whole';
        else {
          header = check(checkHeader, parseLine(`${line.slice(0, -HEADER_END.length)}}`, file, lineNumber), file, lineNumber);
          section = 'daily';
        }
      } else if (line === SESSIONS_START && section === 'daily') section = 'sessions';
      else if (line === ']}' && section === 'sessions') section = 'end';
      else if (line === '' && section === 'end') return;
      else if (section === 'daily') {
        if (withDaily) daily.push(check(checkDailyRow, parseLine(stripComma(line), file, lineNumber), file, lineNumber));
      } else if (section === 'sessions') sessions.push(check(checkSessionRow, parseLine(stripComma(line), file, lineNumber), file, lineNumber));
      else throw new PartialError(`${file}:${lineNumber}: text after the end of the partial`);
    });
    if (section === 'whole' || section === 'header') {
      const whole = parsePartial(await readFile(file, 'utf8'), file);
      return withDaily ? whole : { ...whole, daily: [] };
    }
    if (section !== 'end') throw new PartialError(`${file}: ends at line ${lineCount} before the ${section === 'daily' ? 'session rows' : 'closing "]}"'}: the file is cut short`);
    return { ...header!, daily, sessions };
  } catch (error) {
    if (error instanceof PartialError) throw error;
    throw new PartialError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function stripComma(line: string): string {
  return line.endsWith(',') ? line.slice(0, -1) : line;
}

function parseLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PartialError(`${file}:${line}: not JSON: ${(error as Error).message}`);
  }
}

// Compiled: a night reads back the previous partial's hundred thousand rows (bench: 0.9 s of a
// 1.9 s read with the schemas interpreted).
const checkHeader = compiledCheck(headerSchema);
const checkDailyRow = compiledCheck(dailyRowSchema);
const checkSessionRow = compiledCheck(sessionRowSchema);

function check<T>(checker: (value: unknown) => CheckResult<T>, value: unknown, file: string, line: number): T {
  const checked = checker(value);
  if ('issues' in checked) throw new PartialError(describeZodIssues(checked.issues).map((issue) => `${file}:${line}: ${issue}`).join('\n'));
  return checked.data;
}
