/** A session summary as terminal text: what `tokenledger summarize` prints without `--json`. */
import { PHASES } from '../sources/phase.js';
import type { SessionSummary } from '../summary/schema.js';

const integer = new Intl.NumberFormat('en-US');
const usd = (value: number) => `$${value.toFixed(value < 1 ? 4 : 2)}`;

function duration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

export function renderSessionSummary(summary: SessionSummary): string {
  const t = summary.tokens;
  const out = [
    `Session ${summary.id} (${summary.agent}${summary.agentVersion ? ` ${summary.agentVersion}` : ''}${summary.entrypoint ? `, ${summary.entrypoint}` : ''})`,
    `Started ${summary.startedAt}, ended ${summary.endedAt}; ${duration(summary.durationSeconds)}, active ${duration(summary.activeSeconds)}`,
    `Requests ${integer.format(summary.requests)} (${integer.format(summary.subagents.requests)} by ${summary.subagents.count} subagents), user turns ${summary.userTurns}`,
    `Tokens ${integer.format(t.total)}: input ${integer.format(t.input)}, output ${integer.format(t.output)}, cache write 5m ${integer.format(t.cacheWrite5m)}, ` +
      `cache write 1h ${integer.format(t.cacheWrite1h)}, cache read ${integer.format(t.cacheRead)}`,
    `Subagents ${integer.format(summary.subagents.tokens.total)} tokens, ${usd(summary.subagents.costUSD)}`,
    `Cost ${usd(summary.costUSD)}${summary.costComplete ? '' : ` (incomplete: unpriced ${summary.unpricedModels.join(', ')})`}, prices ${summary.priceTable}`,
    '',
    'Models',
    ...summary.models.map((m) => `  ${m.model.padEnd(36)} ${String(m.requests).padStart(6)} req ${integer.format(m.tokens.total).padStart(14)} tok  ${m.costUSD === null ? 'unpriced' : usd(m.costUSD)}`),
    '',
    'Phases',
    ...PHASES.filter((phase) => summary.phases[phase].tokens.total > 0 || summary.phases[phase].toolCalls > 0).map((phase) => {
      const p = summary.phases[phase];
      const share = t.total === 0 ? 0 : (p.tokens.total / t.total) * 100;
      return `  ${phase.padEnd(12)} ${String(p.toolCalls).padStart(5)} calls ${integer.format(p.tokens.total).padStart(14)} tok ${share.toFixed(1).padStart(5)}%  ${usd(p.costUSD)}`;
    }),
  ];
  const tools = Object.entries(summary.tools).sort((a, b) => b[1] - a[1]);
  if (tools.length > 0) out.push('', `Tools ${tools.map(([name, calls]) => `${name} ${calls}`).join(', ')}`);
  return `${out.join('\n')}\n`;
}
