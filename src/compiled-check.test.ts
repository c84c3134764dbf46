import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dailyRowSchema, partialSchema, sessionRowSchema } from './aggregate/partial-schema.js';
import { compiledCheck } from './compiled-check.js';
import { sessionSummarySchema } from './summary/schema.js';

describe('compiledCheck', () => {
  it.each([
    ['the session summary', sessionSummarySchema],
    ['a partial session row', sessionRowSchema],
    ['a partial daily row', dailyRowSchema],
    ['a partial header', partialSchema.omit({ daily: true, sessions: true })],
  ])('compiles %s, so checks do not fall back to zod interpreting it (5x slower)', (_, schema) => {
    expect(() => z.compile(schema, { strict: true })).not.toThrow();
  });

  it('gives the value itself when it passes, and the schema\'s own issues when it does not', () => {
    const schema = z.strictObject({ n: z.number().int().nonnegative(), tags: z.array(z.string()).optional() });
    const check = compiledCheck(schema);
    const value = { n: 3, tags: ['a'] };
    expect(check(value)).toEqual({ data: value });
    expect((check(value) as { data: unknown }).data).toBe(value);
    for (const bad of [{ n: -1 }, { n: 1.5 }, { n: 1, extra: true }, { tags: [1] }, null, []]) {
      expect(check(bad)).toEqual({ issues: schema.safeParse(bad).error!.issues });
    }
  });
});
