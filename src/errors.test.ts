import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AnonymizationKeyError, ConfigError, describeZodIssues, fieldPath, lineColumnAt } from './errors.js';

function issuesOf(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected the value to fail');
  return result.error.issues;
}

describe('describeZodIssues', () => {
  const schema = z.strictObject({
    mode: z.enum(['a', 'b']),
    only: z.literal('x').optional(),
    name: z.string().max(3).optional(),
    slug: z.string().regex(/^[a-z]+$/, 'expected a slug').optional(),
    nested: z.strictObject({ list: z.array(z.number()) }).optional(),
  });

  it('gives one `field: message` line per bad field, with paths into objects and arrays', () => {
    const issues = issuesOf(schema, { mode: 'c', only: 'y', name: 'long', slug: 'No', nested: { list: [1, 'two'], extra: true }, 'odd key': 1 });
    expect(describeZodIssues(issues)).toEqual([
      'mode: expected one of a, b',
      'only: expected x',
      'name: expected string to have <=3 characters',
      'slug: expected a slug',
      'nested.list[1]: expected number, received string',
      'nested.extra: unknown key',
      '["odd key"]: unknown key',
    ]);
  });

  it('gives the message alone for a problem with the whole value', () => {
    expect(describeZodIssues(issuesOf(schema, 42))).toEqual(['expected object, received number']);
  });
});

describe('fieldPath', () => {
  it('reads like the JSON it points into', () => {
    expect(fieldPath(['models', 0, 'tokens', 'input'])).toBe('models[0].tokens.input');
    expect(fieldPath([])).toBe('');
    expect(fieldPath(['a b', 'c'])).toBe('["a b"].c');
  });
});

describe('ConfigError', () => {
  it('puts the file, and the line and column when known, before every problem', () => {
    const error = new ConfigError('.tokenledger.json', [
      { field: 'remote', message: 'expected string' },
      { field: '', message: 'something about the whole file' },
    ]);
    expect(error.message).toBe('.tokenledger.json: remote: expected string\n.tokenledger.json: something about the whole file');
    expect(error.name).toBe('ConfigError');
    expect(error).toBeInstanceOf(Error);

    const cause = new SyntaxError('bad');
    const located = new ConfigError('settings.json', [{ field: '', message: 'invalid JSON' }], { line: 4, column: 2, cause });
    expect(located.message).toBe('settings.json:4:2: invalid JSON');
    expect([located.file, located.line, located.column, located.cause]).toEqual(['settings.json', 4, 2, cause]);
  });
});

describe('AnonymizationKeyError', () => {
  it('names the repository, the reason and how to set a key', () => {
    const error = new AnonymizationKeyError('/repo', 'this clone is shallow');
    expect(error.message).toBe("/repo: no anonymization key: this clone is shallow; set TOKENLEDGER_KEY or run 'git config tokenledger.key <shared secret>'");
  });
});

describe('lineColumnAt', () => {
  it('counts lines and columns from 1', () => {
    const text = 'ab\ncd\n\nef';
    expect(lineColumnAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt(text, 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumnAt(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumnAt(text, 7)).toEqual({ line: 4, column: 1 });
    expect(lineColumnAt(text, text.length)).toEqual({ line: 4, column: 3 });
  });
});
