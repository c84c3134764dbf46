/**
 * Where and why a text is not plain JSON (RFC 8259). Node 20's JSON.parse gives no position for
 * some errors ("Unexpected token '}', ... is not valid JSON", "Unexpected end of JSON input"), and
 * a user fixing their settings file needs a line and column. Used only after JSON.parse failed,
 * so it never has to build values.
 */

export interface JsonSyntaxProblem {
  /** Offset in UTF-16 code units, as JavaScript strings count. */
  offset: number;
  /** 1-based. */
  line: number;
  column: number;
  reason: string;
}

class Found extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  let at = 0;
  const fail = (reason: string, offset = at): never => {
    throw new Found(offset, reason);
  };

  const skipSpace = (): void => {
    for (;;) {
      const char = text[at];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') at += 1;
      else if (char === '/' && (text[at + 1] === '/' || text[at + 1] === '*')) {
        fail('comments are not allowed: Claude Code settings files are plain JSON, not JSONC');
      } else return;
    }
  };

  const expect = (char: string, reason: string): void => {
    skipSpace();
    if (text[at] !== char) fail(at >= text.length ? `unexpected end of file, ${reason}` : reason);
    at += 1;
  };

  const string = (): void => {
    const start = at;
    at += 1; // the opening quote
    for (;;) {
      const char = text[at];
      if (char === undefined) fail('unterminated string', start);
      if (char === '"') break;
      if (char === '\\') {
        ESCAPE.lastIndex = at;
        if (!ESCAPE.test(text)) fail('invalid escape sequence in string');
        at = ESCAPE.lastIndex;
      } else if (char!.charCodeAt(0) < 0x20) fail('control character in string (a line break inside a string must be written \\n)');
      else at += 1;
    }
    at += 1;
  };

  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === undefined) fail('unexpected end of file, expected a value');
    if (char === '{') return object();
    if (char === '[') return array();
    if (char === '"') return string();
    if (char === "'") fail('strings must use double quotes');
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, at)) {
        at += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = at;
    if (NUMBER.test(text)) {
      at = NUMBER.lastIndex;
      return;
    }
    fail(`unexpected character ${JSON.stringify(char)}, expected a value`);
  };

  const object = (): void => {
    at += 1;
    skipSpace();
    if (text[at] === '}') {
      at += 1;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[at] !== '"') fail(at >= text.length ? 'unexpected end of file, expected a property name' : 'expected a double-quoted property name');
      string();
      expect(':', "expected ':' after the property name");
      value();
      skipSpace();
      if (text[at] === '}') {
        at += 1;
        return;
      }
      expect(',', "expected ',' or '}' after the property value");
      skipSpace();
      if (text[at] === '}') fail("trailing comma before '}'");
    }
  };

  const array = (): void => {
    at += 1;
    skipSpace();
    if (text[at] === ']') {
      at += 1;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      if (text[at] === ']') {
        at += 1;
        return;
      }
      expect(',', "expected ',' or ']' after the array element");
      skipSpace();
      if (text[at] === ']') fail("trailing comma before ']'");
    }
  };

  try {
    value();
    skipSpace();
    if (at < text.length) fail('unexpected text after the end of the JSON value');
    return undefined;
  } catch (error) {
    if (!(error instanceof Found)) throw error;
    return { offset: error.offset, ...lineAndColumn(text, error.offset), reason: error.reason };
  }
}

/** 1-based line and column of `offset`; a CRLF counts as one line break. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}
