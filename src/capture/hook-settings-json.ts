/**
 * Reading and writing the text of a Claude Code settings file (pure). Claude Code writes these
 * files itself with 2-space JSON; people edit them by hand with whatever their editor does. We
 * keep the indentation, line endings, final newline and byte-order mark we find, so our edit is
 * the only difference a `git diff` of a committed `.claude/settings.json` shows. Values are
 * re-serialized by JSON.stringify, so hand formatting inside a line (`[ 1, 2 ]`, `1.0`, `\u00e9`)
 * becomes its canonical form; that is why uninstall restores recorded bytes when it can.
 */
import { parseJsonText } from '../config.js';
import { ConfigError } from '../errors.js';

/** A settings file's top level: any JSON object. */
export type Settings = Record<string, unknown>;

export interface SettingsFormat {
  /** `'  '`, `'    '`, `'\t'`, or `''` for a file written on one line. */
  indent: string;
  newline: '\n' | '\r\n';
  finalNewline: boolean;
  bom: boolean;
}

/** What a new file gets: what Claude Code itself writes, plus the final newline editors add. */
export const DEFAULT_FORMAT: SettingsFormat = { indent: '  ', newline: '\n', finalNewline: true, bom: false };

const BOM = '\uFEFF';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How `text` is laid out; a file without a nested line (`{}`, empty) gets the default indent. */
export function detectFormat(text: string): SettingsFormat {
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(1) : text;
  const newline = body.includes('\r\n') ? '\r\n' : '\n';
  const finalNewline = body.endsWith('\n');
  const indented = /\n([ \t]+)\S/.exec(body);
  let indent = DEFAULT_FORMAT.indent;
  if (indented) indent = indented[1]!.startsWith('\t') ? '\t' : /^ +/.exec(indented[1]!)![0];
  // A one-line object with content was written minified (`JSON.stringify(x)`); keep it on one line.
  else if (!body.trim().includes('\n') && !/^\{\s*\}$/.test(body.trim()) && body.trim() !== '') indent = '';
  return { indent, newline, finalNewline, bom };
}

/**
 * The settings object in `text`. Plain JSON only: a syntax error is a ConfigError naming the
 * file, line and column, because Claude Code parses these files as JSON and would reject them
 * too. Comments get a message of their own, since JSONC habits are why most of them are there.
 * An empty file counts as `{}`.
 */
export function parseSettings(text: string, file: string): Settings {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = parseJsonText(body, file);
  } catch (error) {
    if (error instanceof ConfigError && error.line !== undefined && /^\/[/*]/.test(body.slice(offsetOf(body, error.line, error.column ?? 1)))) {
      const message = 'invalid JSON: comments are not allowed (Claude Code settings files are plain JSON, not JSONC)';
      throw new ConfigError(file, [{ field: '', message }], { line: error.line, column: error.column, cause: error });
    }
    throw error;
  }
  if (!isPlainObject(value)) throw new ConfigError(file, [{ field: '', message: `expected a JSON object at the top level, found ${describeJson(value)}` }]);
  return value;
}

/** The offset of a 1-based line and column (as errors.ts's lineColumnAt counts them). */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

/** `settings` as text in `format`. */
export function serializeSettings(settings: Settings, format: SettingsFormat): string {
  let text = JSON.stringify(settings, null, format.indent);
  if (format.newline === '\r\n') text = text.replace(/\n/g, '\r\n');
  if (format.finalNewline) text += format.newline;
  return format.bom ? BOM + text : text;
}

/** "an array", "a string", "null": for messages about a value of the wrong kind. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
