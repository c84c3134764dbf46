/**
 * `tokenledger demo`: the reports on bundled sample transcripts (our own synthetic Claude Code
 * sessions and a Codex fork pair), so a fresh checkout shows what the tool does without any
 * agent logs of its own. The team site replaces this with a demo site.
 */
import path from 'node:path';
import { packageRoot } from '../package-root.js';
import { runReport } from './report.js';

export async function runDemo(): Promise<void> {
  const fixtures = path.join(packageRoot(), 'fixtures');
  process.env.CLAUDE_CONFIG_DIR = path.join(fixtures, 'demo', 'claude');
  process.env.CODEX_HOME = path.join(fixtures, 'codex', 'fork-pair');
  for (const kind of ['daily', 'model', 'phase']) {
    process.stdout.write(`\n$ tokenledger report ${kind} --timezone UTC\n\n`);
    await runReport(kind, { agent: 'all', timezone: 'UTC', cache: false });
  }
}
