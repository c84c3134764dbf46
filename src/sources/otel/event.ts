/** The usage event of something read from an export: Claude Code's call, with what exports lack left empty. */
import type { UsageEvent } from '../events.js';

export type ExportedFields = Pick<UsageEvent, 'sessionId' | 'requestKey' | 'timestampMs' | 'model' | 'tokens' | 'speed' | 'agentVersion' | 'entrypoint'>;

export function exportedEvent(fields: ExportedFields): UsageEvent {
  return {
    agent: 'claude-code', // Claude Code made the call; OTel is only where we read it
    project: '', // exports name no project folder (the reference lists none)
    reasoningOutput: 0,
    webSearchRequests: 0,
    // The reference does not say how a subagent's calls are marked (`query_source` values are
    // undocumented), so exported usage is not classed as subagent traffic.
    isSidechain: false,
    agentId: null,
    // Exports carry no tool calls and no turns: a joined transcript event supplies them.
    tools: [],
    turn: 0,
    gitBranch: null,
    ...fields,
  };
}
