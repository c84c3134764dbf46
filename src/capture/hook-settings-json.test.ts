import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseSettings, serializeSettings } from './hook-settings-json.js';
import { findJsonSyntaxError } from './hook-settings-json-scan.js';
import { SettingsFileError } from './settings-file-error.js';

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
  const failure = (text: string): SettingsFileError => {
    try {
      parseSettings(text, FILE);
    } catch (error) {
      if (error instanceof SettingsFileError) return error;
      throw error;
    }
    throw new Error('expected a SettingsFileError');
  };

  it('names the file, line and column of a syntax error', () => {
    expect(failure('{\n  "a": 1,\n}\n').message).toBe(`${FILE}:3:1: not valid JSON: trailing comma before '}'`);
    expect(failure('{\n  "a": 1\n  "b": 2\n}').message).toBe(`${FILE}:3:3: not valid JSON: expected ',' or '}' after the property value`);
    expect(failure('{"a":}').message).toBe(`${FILE}:1:6: not valid JSON: unexpected character "}", expected a value`);
    expect(failure('{\n  "a": [1, 2\n').message).toBe(`${FILE}:3:1: not valid JSON: unexpected end of file, expected ',' or ']' after the array element`);
    expect(failure('{"a": "b\nc"}').message).toMatch(/:1:9: not valid JSON: control character in string/);
    expect(failure("{'a': 1}").message).toMatch(/:1:2: not valid JSON: expected a double-quoted property name/);
  });

  it('calls comments what they are: JSONC, which settings files are not', () => {
    expect(failure('{\n  // mine\n  "a": 1\n}').message).toBe(`${FILE}:2:3: not valid JSON: comments are not allowed: Claude Code settings files are plain JSON, not JSONC`);
    expect(failure('{ "a": 1 /* x */ }').problem).toEqual({ line: 1, column: 10 });
  });

  it('wants an object at the top level and reads an empty file as {}', () => {
    expect(failure('[]').message).toBe(`${FILE}: expected a JSON object at the top level, found an array`);
    expect(failure('null').message).toMatch(/found null$/);
    expect(parseSettings('  \n', FILE)).toEqual({});
    expect(parseSettings('\uFEFF{"a":1}', FILE)).toEqual({ a: 1 });
  });
});

describe('findJsonSyntaxError', () => {
  it('agrees with JSON.parse on what is valid', () => {
    const isValid = (text: string) => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    };
    // Valid documents, then the same with one character deleted or inserted.
    const damaged = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '/', ':', '0', ' ', '\n', '\\', 'x')).map(([text, at, inserted]) => {
      const cut = at % (text.length + 1);
      return text.slice(0, cut) + inserted + text.slice(cut + (inserted === '' ? 1 : 0));
    });
    fc.assert(
      fc.property(fc.oneof(fc.json(), damaged), (text) => {
        expect(findJsonSyntaxError(text) === undefined).toBe(isValid(text));
      }),
      { numRuns: 2000 },
    );
  });
});
