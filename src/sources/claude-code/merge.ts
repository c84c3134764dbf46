/**
 * Files' response records -> one usage event per response, across all files read. A response
 * present in several files (resumed sessions copy history; subagent lines are echoed) counts once,
 * by the rule `parse.ts` applies within a file; a full tie goes to the file with the smaller path,
 * so the result never depends on the order files finish in.
 *
 * Each response is held as the event it will be, plus what merging still needs (whether the kept
 * snapshot was final, its line count, tool_use ids, file) in columns beside it. Holding the
 * records and building the events at the end kept both alive at once: at 1 GB of transcripts
 * (90,000 responses) 84 MB of heap against about 45 MB this way.
 */
import { emptyDiagnostics, type ToolCall, type UsageEvent } from '../events.js';
import { addMalformed, MAX_MALFORMED_SAMPLES } from '../diagnostics.js';
import { isBetterSnapshot, uniteTools } from './parse.js';
import type { FileOutcome } from './read-file.js';
import type { ResponseRecord } from './schema.js';

/** Turn index of a response: how many of the file's prompts came at or before it. */
function turnOf(prompts: number[], at: number): number {
  let low = 0;
  let high = prompts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (prompts[mid]! <= at) low = mid + 1;
    else high = mid;
  }
  return low;
}

type IdentifiedCall = ResponseRecord['tools'][number];

const byId = (a: IdentifiedCall, b: IdentifiedCall) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Events' tool lists, one per distinct sequence of calls: most responses call one or two of a few
 * tools, and events are read, never changed.
 */
class ToolLists {
  private readonly lists = new Map<string, ToolCall[]>();

  /** The calls without their ids, in the given order, as a shared list. */
  of(calls: IdentifiedCall[]): ToolCall[] {
    if (calls.length === 0) return this.shared('', () => []);
    let key = '';
    for (const call of calls) key += `${call.name}\u0000${call.phase}\u0000`;
    return this.shared(key, () => calls.map(({ name, phase }) => ({ name, phase })));
  }

  private shared(key: string, make: () => ToolCall[]): ToolCall[] {
    let list = this.lists.get(key);
    if (list === undefined) this.lists.set(key, (list = make()));
    return list;
  }
}

export class ResponseMerger {
  private readonly index = new Map<string, number>();
  private readonly events: UsageEvent[] = [];
  /** Per event: the kept snapshot had a stop reason, and how many lines carried the response. */
  private readonly finals: boolean[] = [];
  private readonly lines: number[] = [];
  /**
   * Per event: the tool_use ids of `event.tools` in its order (sorted), joined by NUL (which no
   * id holds), null for none. One string instead of a list of strings: 12 MB less at 1 GB.
   */
  private readonly toolIds: (string | null)[] = [];
  /** Per event: the file the kept snapshot came from. */
  private readonly paths: string[] = [];
  private readonly toolLists = new ToolLists();
  private responseLines = 0;
  readonly diagnostics = emptyDiagnostics();

  add(outcome: FileOutcome): void {
    if ('failure' in outcome) {
      // One unreadable file never stops the run: it is counted and named.
      addMalformed(this.diagnostics, outcome.failure);
      return;
    }
    const { file, state } = outcome;
    const prompts = [...state.prompts].sort((a, b) => a - b);
    for (const record of state.responses) {
      this.responseLines += record.lines;
      const turn = turnOf(prompts, record.timestampMs);
      const at = this.index.get(record.key);
      if (at === undefined) {
        this.index.set(record.key, this.events.length);
        const calls = [...record.tools].sort(byId);
        this.events.push(this.toEvent(record, calls, file.project, turn));
        this.finals.push(record.final);
        this.lines.push(record.lines);
        this.toolIds.push(joinIds(calls));
        this.paths.push(file.path);
        continue;
      }
      const kept = this.events[at]!;
      const keptRank = { tokens: kept.tokens, final: this.finals[at]!, timestampMs: kept.timestampMs };
      const incomingWins = isBetterSnapshot(keptRank, record) || (!isBetterSnapshot(record, keptRank) && file.path < this.paths[at]!);
      const keptCalls = (this.toolIds[at]?.split('\u0000') ?? []).map((id, k) => ({ id, ...kept.tools[k]! }));
      // The winner's call wins an id both have, as within a file.
      const calls = incomingWins ? uniteCalls(keptCalls, record.tools) : uniteCalls(record.tools, keptCalls);
      if (incomingWins) {
        this.events[at] = this.toEvent(record, calls, file.project, turn);
        this.finals[at] = record.final;
        this.paths[at] = file.path;
      } else {
        kept.tools = this.toolLists.of(calls);
      }
      this.lines[at] = this.lines[at]! + record.lines;
      this.toolIds[at] = joinIds(calls);
    }
    const d = this.diagnostics;
    d.filesRead++;
    d.lines += state.counts.lines;
    d.malformedLines += state.counts.malformedLines;
    d.skippedLines += state.counts.skippedLines;
    d.malformedSamples.push(...state.malformedSamples.slice(0, Math.max(0, MAX_MALFORMED_SAMPLES - d.malformedSamples.length)));
  }

  /** The merged events; call once (the merger lets go of what only merging needed). */
  takeEvents(): UsageEvent[] {
    this.diagnostics.responses = this.events.length;
    this.diagnostics.duplicateLines = this.responseLines - this.events.length;
    this.index.clear();
    for (const column of [this.finals, this.lines, this.toolIds, this.paths]) column.length = 0;
    return this.events;
  }

  /** `calls` are sorted by tool_use id, so the order (and the phase split) never depends on line order. */
  private toEvent(record: ResponseRecord, calls: IdentifiedCall[], project: string, turn: number): UsageEvent {
    return {
      agent: 'claude-code',
      sessionId: record.sessionId,
      project,
      requestKey: record.key,
      timestampMs: record.timestampMs,
      model: record.model,
      tokens: record.tokens,
      reasoningOutput: 0,
      webSearchRequests: record.webSearchRequests,
      isSidechain: record.isSidechain,
      agentId: record.agentId,
      tools: this.toolLists.of(calls),
      turn,
      speed: record.speed,
      agentVersion: record.version,
      entrypoint: record.entrypoint,
      gitBranch: record.gitBranch,
    };
  }
}

function joinIds(calls: IdentifiedCall[]): string | null {
  return calls.length === 0 ? null : calls.map((call) => call.id).join('\u0000');
}

/** The calls of both lists, one per id, sorted by id (see `uniteTools`: `later`'s call wins an id both have). */
function uniteCalls(earlier: IdentifiedCall[], later: IdentifiedCall[]): IdentifiedCall[] {
  return [...uniteTools(earlier, later)].sort(byId);
}
