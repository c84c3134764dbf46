/**
 * Cost parity with ccusage 20.0.24 (`--offline`) on the real transcripts, model by model, where
 * both tools price the model. Runs when CCUSAGE_BIN points at an installed ccusage (.ci/run
 * installs it); the README explains the deliberate differences (unpriced third-party models,
 * the whole-request long-context premium).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClaudeCode } from '../src/sources/claude-code/index.js';
import { buildUsageReport } from '../src/report/usage-report.js';
import { arrangeClaudeProjects, hasRealFixtures } from './helpers/real-fixtures.js';

const run = promisify(execFile);
const ccusage = process.env.CCUSAGE_BIN;

interface CcusageBreakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number;
}

describe.skipIf(!ccusage || !hasRealFixtures)('parity with ccusage 20.0.24', () => {
  let configDir: string;
  let home: string;

  beforeAll(async () => {
    configDir = await arrangeClaudeProjects(await mkdtemp(path.join(tmpdir(), 'tl-parity-')));
    home = await mkdtemp(path.join(tmpdir(), 'tl-parity-home-'));
  });
  afterAll(async () => {
    await rm(configDir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('agrees on tokens by type, and on cost within 1% for every model both price', async () => {
    const { stdout } = await run(ccusage!, ['claude', 'daily', '--json', '--offline', '--timezone', 'UTC', '--breakdown'], {
      env: { ...process.env, CLAUDE_CONFIG_DIR: configDir, HOME: home, NO_COLOR: '1' },
      maxBuffer: 64 << 20,
    });
    const theirs = JSON.parse(stdout) as { daily: { modelBreakdowns: CcusageBreakdown[] }[]; totals: Record<string, number> };
    const read = await readClaudeCode({ env: { CLAUDE_CONFIG_DIR: configDir }, cacheDir: null });
    const ours = buildUsageReport(read.events, read.diagnostics, { kind: 'model', timeZone: 'UTC' });

    expect(ours.totals.inputTokens).toBe(theirs.totals.inputTokens);
    expect(ours.totals.outputTokens).toBe(theirs.totals.outputTokens);
    expect(ours.totals.cacheCreationTokens).toBe(theirs.totals.cacheCreationTokens);
    expect(ours.totals.cacheReadTokens).toBe(theirs.totals.cacheReadTokens);

    const theirCost = new Map<string, number>();
    for (const day of theirs.daily) for (const row of day.modelBreakdowns) theirCost.set(row.modelName, (theirCost.get(row.modelName) ?? 0) + row.cost);
    let compared = 0;
    for (const row of ours.rows) {
      const model = String(row.model);
      const their = theirCost.get(model);
      if (row.unpricedModels.length > 0 || !their) continue; // one side does not price it
      expect(Math.abs(row.costUSD - their) / their, `${model}: ours $${row.costUSD} vs ccusage $${their}`).toBeLessThan(0.01);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(5);
  });
});
