/**
 * Attribution of actual tokens to phases of work. A response's tokens go to the phases of the
 * tools it called, split evenly per call; a response without tool calls goes to the phase of its
 * turn (the phase most of the turn's tool calls belong to; `other` for a turn without tools).
 */
import { TOKEN_TYPES, type TokenCounts, type UsageEvent } from '../sources/events.js';
import { PHASES, type Phase } from '../sources/phase.js';

export interface PhaseShare {
  phase: Phase;
  tokens: TokenCounts;
  /** Fraction of the response (for splitting its cost the same way). */
  fraction: number;
  toolCalls: number;
}

function turnKey(event: UsageEvent): string {
  return `${event.sessionId}\u0000${event.isSidechain ? (event.agentId ?? 'sidechain') : 'main'}\u0000${event.turn}`;
}

/** The dominant phase of each turn, by tool calls; ties go to the earlier phase in PHASES. */
export function turnPhases(events: UsageEvent[]): Map<string, Phase> {
  const tallies = new Map<string, number[]>();
  for (const event of events) {
    if (event.tools.length === 0) continue;
    const key = turnKey(event);
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = PHASES.map(() => 0)));
    for (const tool of event.tools) tally[PHASES.indexOf(tool.phase)]!++;
  }
  const phases = new Map<string, Phase>();
  for (const [key, tally] of tallies) phases.set(key, PHASES[tally.indexOf(Math.max(...tally))]!);
  return phases;
}

/** Splits `n` into `parts` integers that differ by at most one and add up to `n`. */
function splitEvenly(n: number, parts: number, index: number): number {
  const base = Math.floor(n / parts);
  return base + (index < n - base * parts ? 1 : 0);
}

/** The phase shares of one response; integer token splits that add up exactly to its tokens. */
export function phaseShares(event: UsageEvent, turnPhase: Map<string, Phase>): PhaseShare[] {
  if (event.tools.length === 0) {
    return [{ phase: turnPhase.get(turnKey(event)) ?? 'other', tokens: { ...event.tokens }, fraction: 1, toolCalls: 0 }];
  }
  const byPhase = new Map<Phase, PhaseShare>();
  const calls = event.tools.length;
  event.tools.forEach((tool, index) => {
    let share = byPhase.get(tool.phase);
    if (!share) {
      share = { phase: tool.phase, tokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }, fraction: 0, toolCalls: 0 };
      byPhase.set(tool.phase, share);
    }
    for (const type of TOKEN_TYPES) share.tokens[type] += splitEvenly(event.tokens[type], calls, index);
    share.fraction += 1 / calls;
    share.toolCalls++;
  });
  return [...byPhase.values()];
}
