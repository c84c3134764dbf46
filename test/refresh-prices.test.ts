import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { priceTableSchema, type PriceTable } from '../src/summary/prices/schema.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const script = join(root, 'scripts/refresh-prices.mjs');
const fixture = join(root, 'fixtures/litellm-sample.json');
const realTable = join(root, 'src/summary/prices/prices.json');

let dir: string;
let tablePath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokenledger-prices-'));
  tablePath = join(dir, 'prices.json');
  copyFileSync(realTable, tablePath);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Always points the script at the temp copy: the real table must never be written by tests.
function run(...args: string[]) {
  const r = spawnSync(process.execPath, [script, ...args], {
    env: { ...process.env, TOKENLEDGER_PRICES_FILE: tablePath },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const readTable = (path = tablePath): PriceTable => priceTableSchema.parse(JSON.parse(readFileSync(path, 'utf8')));

describe('scripts/refresh-prices.mjs', () => {
  it('applies LiteLLM prices, prints the diff and bumps the version', () => {
    const before = readTable();
    const r = run(fixture, '--date', '2026-12-01');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);

    const lines = r.stdout.split('\n');
    // dated key matching, latest date wins over claude-sonnet-4-5-20250101
    expect(lines).toContain('claude-sonnet-4-5 (LiteLLM claude-sonnet-4-5-20250929)');
    expect(lines).toContain('  output: 15 -> 16');
    expect(lines).toContain('  longContext.output: 22.5 -> 24');
    expect(lines).toContain('gpt-5.5 (LiteLLM gpt-5.5)');
    expect(lines).toContain('  input: 5 -> 6');
    expect(lines).toContain('  cacheRead: 0.5 -> 0.6');
    expect(lines).toContain('  longContext.cacheRead: 1 -> 1.2');
    expect(lines).toContain('  + webSearchPerThousand: 10');
    expect(r.stdout).toMatch(/^Unchanged: 5 model\(s\): .*claude-haiku-4-5/m);
    // the Bedrock key must not stand in for claude-opus-4-5
    expect(r.stdout).toMatch(/^Not in LiteLLM, kept as is: .*\bclaude-opus-4-5\b/m);
    expect(r.stdout).toContain('claude-3-haiku: LiteLLM 1h cache write 6 is not 2x input 0.25; not applied');
    expect(r.stdout).toContain('claude-opus-4-8: LiteLLM fast/priority multiplier 6, ours 2; not applied');
    expect(r.stdout).toContain('claude-opus-4-6: LiteLLM has a long-context tier above 200000');
    expect(r.stdout).toContain('Wrote version 2026-12-01.1 (was 2026-11-23.1)');

    const after = readTable();
    expect(after.version).toBe('2026-12-01.1');
    expect(after.sourceDate).toBe('2026-12-01');
    expect(after.source).toContain('litellm-sample.json');
    expect(after.notes).toEqual(before.notes);

    const sonnet = after.models['claude-sonnet-4-5'];
    expect(sonnet?.output).toBe(16);
    expect(sonnet?.input).toBe(3);
    expect(sonnet?.cacheWrite5m).toBe(3.75);
    expect(sonnet?.longContext).toEqual({
      thresholdInputTokens: 200000,
      input: 6,
      output: 24,
      cacheWrite5m: 7.5,
      cacheWrite1h: 12,
      cacheRead: 0.6,
    });
    expect(sonnet?.comment).toMatch(/; LiteLLM claude-sonnet-4-5-20250929 applied 2026-12-01$/);

    const gpt55 = after.models['gpt-5.5'];
    // OpenAI cache writes follow the new input price
    expect([gpt55?.input, gpt55?.output, gpt55?.cacheWrite5m, gpt55?.cacheWrite1h, gpt55?.cacheRead]).toEqual([
      6, 36, 6, 6, 0.6,
    ]);
    expect(gpt55?.longContext).toMatchObject({ thresholdInputTokens: 272000, input: 12, output: 54, cacheWrite5m: 12, cacheRead: 1.2 });
    expect(gpt55?.fastMultiplier).toBe(2.5);
    expect(after.models['gpt-5.4']?.webSearchPerThousand).toBe(10);

    // guarded and untouched values
    expect(after.models['claude-3-haiku']?.cacheWrite1h).toBe(0.5);
    expect(after.models['claude-opus-4-8']?.fastMultiplier).toBe(2);
    expect(after.models['claude-opus-4-6']?.longContext).toBeUndefined();
    const changed = new Set(['claude-sonnet-4-5', 'gpt-5.5', 'gpt-5.4']);
    for (const [id, m] of Object.entries(before.models)) {
      if (!changed.has(id)) expect(after.models[id], id).toEqual(m);
    }
    expect(Object.keys(after.models)).toEqual(Object.keys(before.models));

    // atomic write leaves no temp file behind
    expect(readdirSync(dir)).toEqual(['prices.json']);
  });

  it('writes nothing when no price changed', () => {
    expect(run(fixture, '--date', '2026-12-01').status).toBe(0);
    const once = readFileSync(tablePath, 'utf8');
    const r = run(fixture, '--date', '2026-12-02');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No price changed');
    expect(readFileSync(tablePath, 'utf8')).toBe(once);
  });

  it('counts refreshes within a day', () => {
    const t = JSON.parse(readFileSync(tablePath, 'utf8')) as PriceTable;
    t.version = '2026-12-01.3';
    writeFileSync(tablePath, JSON.stringify(t, null, 2));
    const r = run(fixture, '--date=2026-12-01');
    expect(r.status).toBe(0);
    expect(readTable().version).toBe('2026-12-01.4');
  });

  it('fails clearly on a missing LiteLLM file', () => {
    const missing = join(dir, 'nope.json');
    const r = run(missing);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toContain('no such file');
    expect(readFileSync(tablePath, 'utf8')).toBe(readFileSync(realTable, 'utf8'));
  });

  it('fails clearly on invalid JSON', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"claude-opus-4-6": {');
    const r = run(broken);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(broken);
    expect(r.stderr).toContain('not valid JSON');
    expect(readFileSync(tablePath, 'utf8')).toBe(readFileSync(realTable, 'utf8'));
  });

  it('fails on a broken price table and on bad arguments', () => {
    writeFileSync(tablePath, '[]');
    const r = run(fixture);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(tablePath);

    expect(run().status).toBe(1);
    expect(run().stderr).toContain('usage:');
    expect(run(fixture, '--date', '2026-13-45').stderr).toContain('--date must be YYYY-MM-DD');
  });
});
