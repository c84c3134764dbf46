import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { detectFormat, parseSettings, serializeSettings } from './hook-settings-json.js';

const FILE = '/home/dev/.claude/settings.json';

describe('detectFormat', () => {
  it('keeps the indentation, line ending, final newline and BOM it finds', () => {
    expect(detectFormat('{\n  "a": 1\n}\n')).toEqual({ indent: '  ', newline: '\n', finalNewline: true, bom: false });
    expect(detectFormat('{\n    "a": 1\n}')).toEqual({ indent: '    ', newline: '\n', finalNewline: false, bom: false });
    expect(detectFormat('{\r\n\t"a": 1\r\n}\r\n')).toEqual({ indent: '\t', newline: '\r\n', finalNewline: true, bom: false });
    expect(detectFormat('\uFEFF{"a":1}')).toEqual({ indent: '', newline: '\n', finalNewline: false, bom: true });
  });

  it('uses the 2-space default when there is no nested line to learn from', () => {
    expect(detectFormat('{}').indent).toBe('  ');
    expect(detectFormat('{ }\n').indent).toBe('  ');
    expect(detectFormat('').indent).toBe('  ');
  });
});

describe('serializeSettings', () => {
  it('writes back the detected layout', () => {
    for (const text of ['{\n  "a": [\n    1\n  ]\n}\n', '{\r\n\t"a": 1\r\n}', '\uFEFF{"a":{"b":[]}}\n', '{\n    "a": {}\n}']) {
      expect(serializeSettings(JSON.parse(text.replace('\uFEFF', '')), detectFormat(text))).toBe(text);
    }
  });
});

describe('parseSettings', () => {
  const failure = (text: string): ConfigError => {
    try {
      parseSettings(text, FILE);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('names the file, line and column of a syntax error', () => {
    expect(failure('{\n  "a": 1,\n}\n').message).toBe(`${FILE}:3:1: invalid JSON: expected a property name in double quotes, found "}"`);
    expect(failure('{\n  "a": [1, 2\n').message).toBe(`${FILE}:3:1: invalid JSON: expected ',' or ']', found end of file`);
    expect(failure('\uFEFF{\n  "a": 1\n  "b": 2\n}')).toMatchObject({ line: 3, column: 3 });
  });

  it('calls comments what they are: JSONC, which settings files are not', () => {
    const jsonc = 'invalid JSON: comments are not allowed (Claude Code settings files are plain JSON, not JSONC)';
    expect(failure('{\n  // mine\n  "a": 1\n}').message).toBe(`${FILE}:2:3: ${jsonc}`);
    expect(failure('// mine\n{}').message).toBe(`${FILE}:1:1: ${jsonc}`);
    expect(failure('{ "a": 1 /* x */ }')).toMatchObject({ line: 1, column: 10, message: `${FILE}:1:10: ${jsonc}` });
    // A URL in a string is not a comment.
    expect(failure('{ "url": "https://x" , }').message).toMatch(/found "}"$/);
  });

  it('wants an object at the top level and reads an empty file as {}', () => {
    expect(failure('[]').message).toBe(`${FILE}: expected a JSON object at the top level, found an array`);
    expect(failure('null').message).toMatch(/found null$/);
    expect(parseSettings('  \n', FILE)).toEqual({});
    expect(parseSettings('\uFEFF{"a":1}', FILE)).toEqual({ a: 1 });
  });
});
