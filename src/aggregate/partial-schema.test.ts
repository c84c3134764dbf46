import { describe, expect, it } from 'vitest';
import { summary } from '../../test/helpers/summaries.js';
import { buildPartial } from './build.js';
import { partialSchema } from './partial-schema.js';

const partial = buildPartial([{ repository: 'acme/app', dataRef: 'token-data', tip: null, summaries: [summary({ phases: { git: { toolCalls: 1 } }, tools: { Bash: 1 } })], invalidFiles: 1 }], {
  timezone: 'UTC',
  builtBy: '0.1.0',
});

describe('partialSchema', () => {
  it('reads back what was written', () => {
    expect(partialSchema.parse(JSON.parse(JSON.stringify(partial)))).toEqual(partial);
  });

  it('rejects unknown keys, unknown phases and another schema version', () => {
    expect(partialSchema.safeParse({ ...partial, extra: 1 }).success).toBe(false);
    const session = { ...partial.sessions[0]!, phases: { thinking: partial.sessions[0]!.phases.git } };
    expect(partialSchema.safeParse({ ...partial, sessions: [session] }).success).toBe(false);
    expect(partialSchema.safeParse({ ...partial, schema: 'tokenledger.partial/1' }).success).toBe(false);
  });
});
