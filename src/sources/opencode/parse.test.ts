import { describe, expect, it } from 'vitest';
import { assistantData, T0, toolData, userData } from '../../../test/helpers/opencode-store.js';
import { usageEventSchema } from '../event-schema.js';
import { billedOutput, parseOpenCodeStore, rootSession, sessionFamily } from './parse.js';
import type { MessageRow, OpenCodeStore, SessionInfo, ToolPart } from './schema.js';

const DB = '/data/opencode.db';

function row(id: string, data: object | string, sessionId = 'ses_a'): MessageRow {
  return { id, sessionId, createdMs: T0, data: typeof data === 'string' ? data : JSON.stringify(data), where: `${DB}:${id}` };
}

function store(messages: MessageRow[], more: Partial<OpenCodeStore> = {}): OpenCodeStore {
  return { sessions: new Map([['ses_a', { parentId: null, directory: '/work/app', version: '1.17.3' }]]), messages, tools: [], problems: [], ...more };
}

function tool(messageId: string, name: string, command?: string): ToolPart {
  const data = toolData(name, command === undefined ? {} : { command }) as { state: { input: { command?: unknown } } };
  return { messageId, tool: name, command: data.state.input.command };
}

describe('billedOutput', () => {
  it('adds reasoning when the provider total counts it apart from output (current OpenCode)', () => {
    expect(billedOutput({ total: 1650, input: 1000, output: 300, reasoning: 200, cache: { read: 100, write: 50 } })).toEqual({ output: 500, reasoningOutput: 200 });
  });

  it('keeps output when the total shows reasoning is already inside it (builds before the split)', () => {
    expect(billedOutput({ total: 1450, input: 1000, output: 300, reasoning: 200, cache: { read: 100, write: 50 } })).toEqual({ output: 300, reasoningOutput: 200 });
  });

  it('without a total, takes reasoning as included unless it exceeds the output', () => {
    expect(billedOutput({ input: 10, output: 300, reasoning: 200, cache: null })).toEqual({ output: 300, reasoningOutput: 200 });
    expect(billedOutput({ input: 10, output: 100, reasoning: 200, cache: null })).toEqual({ output: 300, reasoningOutput: 200 });
  });

  it('has nothing to decide without reasoning', () => {
    expect(billedOutput({ total: 999, input: 10, output: 20, reasoning: 0, cache: null })).toEqual({ output: 20, reasoningOutput: 0 });
  });
});

describe('parseOpenCodeStore', () => {
  it('maps a billed message to one event, token types kept apart', () => {
    const { events, diagnostics } = parseOpenCodeStore(
      store([row('msg_1', userData()), row('msg_2', assistantData({ input: 120, output: 80, reasoning: 30, read: 5000, write: 700, total: 5930 }, { parentID: 'msg_1' }))]),
    );

    expect(events).toEqual([
      {
        agent: 'opencode',
        sessionId: 'ses_a',
        project: 'app',
        requestKey: 'opencode:msg_2',
        timestampMs: T0,
        model: 'claude-sonnet-4-5',
        tokens: { input: 120, output: 110, cacheWrite5m: 700, cacheWrite1h: 0, cacheRead: 5000 },
        reasoningOutput: 30,
        webSearchRequests: 0,
        isSidechain: false,
        agentId: null,
        tools: [],
        turn: 1,
        speed: 'standard',
        agentVersion: '1.17.3',
        entrypoint: null,
        gitBranch: null,
      },
    ]);
    usageEventSchema.parse(events[0]);
    expect(diagnostics).toEqual({ filesRead: 0, lines: 2, responses: 1, duplicateLines: 0, malformedLines: 0, skippedLines: 0, malformedSamples: [] });
  });

  it('skips aborted responses saved with zero tokens, and user messages bill nothing', () => {
    const { events, diagnostics } = parseOpenCodeStore(store([row('msg_1', userData()), row('msg_2', assistantData({})), row('msg_3', { role: 'assistant', modelID: 'm' })]));
    expect(events).toEqual([]);
    expect(diagnostics).toMatchObject({ lines: 3, responses: 0, skippedLines: 2, malformedLines: 0 });
  });

  it('counts malformed data and names the row and field, reading the rest', () => {
    const { events, diagnostics } = parseOpenCodeStore(
      store([
        row('msg_bad_json', '{"role":"assistant","tokens":'),
        row('msg_no_role', { tokens: { input: 1, output: 1 } }),
        row('msg_negative', assistantData({ input: -4, output: 10 })),
        row('msg_no_model', assistantData({ input: 1, output: 1 }, { modelID: undefined })),
        row('msg_good', assistantData({ input: 1, output: 1 })),
      ]),
    );

    expect(events.map((event) => event.requestKey)).toEqual(['opencode:msg_good']);
    expect(diagnostics.malformedLines).toBe(4);
    expect(diagnostics.malformedSamples).toEqual([
      `${DB}:msg_bad_json: data: invalid JSON`,
      `${DB}:msg_no_role: data.role: Invalid option: expected one of "user"|"assistant"`,
      `${DB}:msg_negative: data.tokens.input: Too small: expected number to be >=0`,
      `${DB}:msg_no_model: data.modelID: missing, the response cannot be priced`,
    ]);
  });

  it('counts part rows that could not be read as malformed', () => {
    const { diagnostics } = parseOpenCodeStore(store([], { problems: [`${DB}:prt_1: part data: invalid JSON, skipped (a tool call, if it was one, is not counted)`] }));
    expect(diagnostics).toMatchObject({ malformedLines: 1, malformedSamples: [`${DB}:prt_1: part data: invalid JSON, skipped (a tool call, if it was one, is not counted)`] });
  });

  it('counts a message already seen in another store once, and a malformed copy does not hide a good one', () => {
    const seen = new Set(['msg_2']);
    const first = parseOpenCodeStore(store([row('msg_2', assistantData({ input: 1, output: 1 })), row('msg_3', 'not json')]), seen);
    expect(first.diagnostics).toMatchObject({ lines: 2, responses: 0, duplicateLines: 1, malformedLines: 1 });

    const second = parseOpenCodeStore(store([row('msg_3', assistantData({ input: 2, output: 2 }))]), seen);
    expect(second.events.map((event) => event.requestKey)).toEqual(['opencode:msg_3']);
    expect(seen).toEqual(new Set(['msg_2', 'msg_3']));
  });

  it('numbers turns by the prompt a response answers, else the latest prompt of its session', () => {
    const { events } = parseOpenCodeStore(
      store([
        row('msg_0', assistantData({ input: 1 })),
        row('msg_1', userData()),
        row('msg_2', userData()),
        row('msg_3', assistantData({ input: 1 }, { parentID: 'msg_1' })),
        row('msg_4', assistantData({ input: 1 })),
      ]),
    );
    expect(events.map((event) => event.turn)).toEqual([0, 1, 2]);
  });

  it('files a sub-agent session under its top-level session', () => {
    const sessions = new Map<string, SessionInfo>([
      ['ses_a', { parentId: null, directory: '/work/app', version: '1.17.3' }],
      ['ses_child', { parentId: 'ses_a', directory: '/work/app', version: '1.17.3' }],
    ]);
    const { events } = parseOpenCodeStore(store([row('msg_1', assistantData({ input: 1 }), 'ses_child')], { sessions }));
    expect(events[0]).toMatchObject({ sessionId: 'ses_a', isSidechain: true, agentId: 'ses_child' });
  });

  it("names the project after the git worktree, else the session's folder", () => {
    const outsideGit = assistantData({ input: 1 }, { path: { cwd: '/home/build/site', root: '/' } });
    const { events } = parseOpenCodeStore(store([row('msg_1', assistantData({ input: 1 })), row('msg_2', outsideGit)], { sessions: new Map([['ses_a', { parentId: null, directory: '/home/build', version: null }]]) }));
    expect(events.map((event) => event.project)).toEqual(['app', 'build']);
  });

  it('gives each response its tool calls with phases; MCP tools keep only the server', () => {
    const tools = [tool('msg_1', 'read'), tool('msg_1', 'bash', 'npx vitest run'), tool('msg_1', 'bash', 'git status'), tool('msg_1', 'github_create_issue'), tool('msg_1', 'todowrite'), tool('msg_1', 'task'), tool('msg_1', 'question')];
    const { events } = parseOpenCodeStore(store([row('msg_1', assistantData({ input: 1 }))], { tools }));
    expect(events[0]!.tools).toEqual([
      { name: 'read', phase: 'exploration' },
      { name: 'bash', phase: 'testing' },
      { name: 'bash', phase: 'git' },
      { name: 'mcp:github', phase: 'other' },
      { name: 'todowrite', phase: 'planning' },
      { name: 'task', phase: 'delegation' },
      { name: 'question', phase: 'other' },
    ]);
    expect(JSON.stringify(events)).not.toContain('vitest');
  });
});

describe('session families', () => {
  const sessions = new Map<string, SessionInfo>([
    ['ses_a', { parentId: null, directory: null, version: null }],
    ['ses_b', { parentId: 'ses_a', directory: null, version: null }],
    ['ses_c', { parentId: 'ses_b', directory: null, version: null }],
    ['ses_x', { parentId: 'ses_y', directory: null, version: null }],
    ['ses_y', { parentId: 'ses_x', directory: null, version: null }],
  ]);

  it('walks up to the top-level session, stopping at a cycle', () => {
    expect(rootSession('ses_c', sessions)).toBe('ses_a');
    expect(rootSession('ses_gone', sessions)).toBe('ses_gone');
    expect(['ses_x', 'ses_y']).toContain(rootSession('ses_x', sessions));
  });

  it('collects a session and everything it spawned', () => {
    expect(sessionFamily('ses_a', sessions)).toEqual(['ses_a', 'ses_b', 'ses_c']);
    expect(sessionFamily('ses_b', sessions)).toEqual(['ses_b', 'ses_c']);
  });
});
