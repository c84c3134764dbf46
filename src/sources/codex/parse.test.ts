import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usageEventSchema } from '../event-schema.js';
import { parseCodexRollout } from './parse.js';
import { sumTokens } from '../../../test/helpers/events.js';

const THREAD = '0196a1b2-1111-7000-8000-000000000001';
const FILE = `/codex/sessions/2026/05/01/rollout-2026-05-01T12-00-00-${THREAD}.jsonl`;

interface Usage {
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  total_tokens: number;
}

/** One response's usage, OpenAI style: `input` includes cached and cache-write, `output` reasoning. */
function usage(input: number, cached = 0, cacheWrite = 0, output = 0, reasoning = 0): Usage {
  return {
    input_tokens: input,
    cached_input_tokens: cached,
    cache_write_input_tokens: cacheWrite,
    output_tokens: output,
    reasoning_output_tokens: reasoning,
    total_tokens: input + output,
  };
}

function add(a: Usage, b: Usage): Usage {
  return usage(
    a.input_tokens + b.input_tokens,
    a.cached_input_tokens + b.cached_input_tokens,
    a.cache_write_input_tokens + b.cache_write_input_tokens,
    a.output_tokens + b.output_tokens,
    a.reasoning_output_tokens + b.reasoning_output_tokens,
  );
}

/** Writes a rollout the way Codex 0.169 does: cumulative `total_token_usage`, one token_count per response. */
class Rollout {
  private readonly lines: string[] = [];
  private clock = Date.UTC(2026, 4, 1, 10, 0, 0);
  total: Usage;

  constructor(meta: Record<string, unknown> = {}, options: { startTotal?: Usage; noMeta?: boolean } = {}) {
    this.total = options.startTotal ?? usage(0);
    if (!options.noMeta) {
      this.add('session_meta', { id: THREAD, cwd: '/home/dev/widget', originator: 'codex_exec', cli_version: '0.169.0', source: 'exec', ...meta });
    }
  }

  add(type: string, payload: unknown): this {
    this.clock += 1000;
    this.lines.push(JSON.stringify({ timestamp: new Date(this.clock).toISOString(), ordinal: this.lines.length, type, payload }));
    return this;
  }

  raw(line: string): this {
    this.lines.push(line);
    return this;
  }

  turn(model = 'gpt-5.4', text = 'do it'): this {
    return this.add('turn_context', { model }).add('event_msg', { type: 'user_message', message: text });
  }

  call(name: string, args: unknown): this {
    return this.add('response_item', { type: 'function_call', name, arguments: typeof args === 'string' ? args : JSON.stringify(args), call_id: 'c' });
  }

  respond(last: Usage): this {
    this.total = add(this.total, last);
    return this.tokenCount(this.total, last);
  }

  tokenCount(total: Usage, last: Usage | null): this {
    return this.add('event_msg', { type: 'token_count', info: { total_token_usage: total, last_token_usage: last, model_context_window: 272000 }, rate_limits: null });
  }

  rateLimitsOnly(): this {
    return this.add('event_msg', { type: 'token_count', info: null, rate_limits: { primary: null } });
  }

  text(eol = '\n'): string {
    return this.lines.join(eol) + eol;
  }
}

describe('parseCodexRollout: increments', () => {
  it('emits one event per response with the increase of the cumulative totals', () => {
    const text = new Rollout().turn().rateLimitsOnly().respond(usage(1000, 200, 0, 50)).respond(usage(1300, 1000, 0, 80)).text();
    const { events, diagnostics } = parseCodexRollout(text, FILE);

    expect(events.map((event) => event.tokens)).toEqual([
      { input: 800, output: 50, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 200 },
      { input: 300, output: 80, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 1000 },
    ]);
    expect(events.map((event) => event.requestKey)).toEqual([`codex:${THREAD}:1050`, `codex:${THREAD}:2430`]);
    expect(diagnostics).toEqual({ filesRead: 1, lines: 6, responses: 2, duplicateLines: 0, malformedLines: 0, skippedLines: 1, malformedSamples: [] });
    for (const event of events) usageEventSchema.parse(event);
  });

  it('counts repeated identical totals as duplicates and emits nothing for them', () => {
    const rollout = new Rollout().turn().respond(usage(100, 0, 0, 10));
    const text = rollout.tokenCount(rollout.total, usage(100, 0, 0, 10)).turn().tokenCount(rollout.total, usage(100, 0, 0, 10)).respond(usage(150, 100, 0, 5)).text();
    const { events, diagnostics } = parseCodexRollout(text, FILE);

    expect(events).toHaveLength(2);
    expect(events[1]!.tokens).toMatchObject({ input: 50, cacheRead: 100, output: 5 });
    expect(diagnostics.duplicateLines).toBe(2);
    expect(diagnostics.responses).toBe(2);
  });

  it('skips `info: null` token counts and counts them', () => {
    const { events, diagnostics } = parseCodexRollout(new Rollout().turn().rateLimitsOnly().rateLimitsOnly().text(), FILE);
    expect(events).toEqual([]);
    expect(diagnostics.skippedLines).toBe(2);
  });

  it('splits cached, cache-write and reasoning out of input and output', () => {
    const { events } = parseCodexRollout(new Rollout().turn().respond(usage(1000, 600, 100, 50, 20)).text(), FILE);
    expect(events[0]!.tokens).toEqual({ input: 300, output: 50, cacheWrite5m: 100, cacheWrite1h: 0, cacheRead: 600 });
    expect(events[0]!.reasoningOutput).toBe(20);
  });

  it('treats a missing cache_write_input_tokens (builds before 0.169) as zero', () => {
    const legacy = { input_tokens: 500, cached_input_tokens: 300, output_tokens: 7, reasoning_output_tokens: 0, total_tokens: 507 };
    const text = new Rollout().turn().add('event_msg', { type: 'token_count', info: { total_token_usage: legacy, last_token_usage: legacy } }).text();
    expect(parseCodexRollout(text, FILE).events[0]!.tokens).toEqual({ input: 200, output: 7, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 300 });
  });

  it('clamps cached input to the input it is part of', () => {
    const { events } = parseCodexRollout(new Rollout().turn().respond(usage(100, 150, 20, 10, 30)).text(), FILE);
    expect(events[0]!.tokens).toEqual({ input: 0, output: 10, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 100 });
    expect(events[0]!.reasoningOutput).toBe(10);
  });

  it('never counts a late, lower snapshot twice', () => {
    const rollout = new Rollout().turn().respond(usage(100)).respond(usage(200));
    const text = rollout.tokenCount(usage(100), usage(100)).respond(usage(300)).text();
    const { events, diagnostics } = parseCodexRollout(text, FILE);
    expect(events.map((event) => event.tokens.input)).toEqual([100, 200, 300]);
    expect(diagnostics.skippedLines).toBe(1);
  });

  it('sums to the true usage for any mix of responses, repeats and rate-limit events', () => {
    const response = fc.tuple(fc.nat(5000), fc.nat(5000), fc.nat(5000), fc.nat(3000), fc.nat(3000)).map(([plain, cached, write, out, reasoning]) =>
      usage(plain + cached + write, cached, write, out + reasoning, reasoning),
    );
    const step = fc.oneof(response, fc.constant('repeat' as const), fc.constant('null' as const));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), response, (steps, parentTotal) => {
        // A fork: the file's totals start at a parent's total.
        const rollout = new Rollout({ forked_from_id: 'parent' }, { startTotal: parentTotal }).turn();
        const expected = usage(0);
        let last: Usage | null = null;
        for (const item of steps) {
          if (item === 'null') rollout.rateLimitsOnly();
          else if (item === 'repeat') {
            if (last) rollout.tokenCount(rollout.total, last);
          } else if (item.total_tokens > 0) {
            rollout.respond(item);
            last = item;
            Object.assign(expected, add(expected, item));
          }
        }
        const got = sumTokens(parseCodexRollout(rollout.text(), FILE).events);
        expect(got).toEqual({
          input: expected.input_tokens - expected.cached_input_tokens - expected.cache_write_input_tokens,
          cacheRead: expected.cached_input_tokens,
          cacheWrite5m: expected.cache_write_input_tokens,
          cacheWrite1h: 0,
          output: expected.output_tokens,
          reasoningOutput: expected.reasoning_output_tokens,
        });
      }),
    );
  });
});

describe('parseCodexRollout: forks and resumes', () => {
  const parentTotal = usage(50_000, 40_000, 2_000, 900, 300);

  it('counts only a fork’s own increase, its first response included', () => {
    const text = new Rollout({ forked_from_id: 'parent' }, { startTotal: parentTotal }).turn().respond(usage(1000, 800, 100, 20, 5)).respond(usage(1100, 1000, 0, 30)).text();
    const { events } = parseCodexRollout(text, FILE);
    expect(sumTokens(events)).toEqual({ input: 200, cacheRead: 1800, cacheWrite5m: 100, cacheWrite1h: 0, output: 50, reasoningOutput: 5 });
    expect(events[0]!.requestKey).toBe(`codex:${THREAD}:${parentTotal.total_tokens + 1020}`);
  });

  it('continues a resumed session appended to the same file', () => {
    const rollout = new Rollout().turn().respond(usage(100, 0, 0, 10));
    // `codex resume` appends to the same file: a new turn, usually a repeat of the totals, then more.
    const text = rollout.add('event_msg', { type: 'task_started' }).turn().tokenCount(rollout.total, usage(100, 0, 0, 10)).respond(usage(300, 100, 0, 20)).text();
    const { events, diagnostics } = parseCodexRollout(text, FILE);
    expect(events.map((event) => [event.tokens.input, event.tokens.cacheRead, event.tokens.output, event.turn])).toEqual([
      [100, 0, 10, 1],
      [200, 100, 20, 2],
    ]);
    expect(diagnostics.duplicateLines).toBe(1);
  });

  it('keeps the first session_meta when a rollout carries a copy of another', () => {
    const text = new Rollout().add('session_meta', { id: 'someone-else', cwd: '/elsewhere' }).turn().respond(usage(10)).text();
    expect(parseCodexRollout(text, FILE).events[0]).toMatchObject({ sessionId: THREAD, project: 'widget' });
  });
});

describe('parseCodexRollout: bad input', () => {
  it('counts malformed and truncated lines with file and line, and keeps reading', () => {
    const rollout = new Rollout()
      .turn()
      .raw('{"timestamp":"2026-05-01T10:00:00Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":"12"}}}}')
      .raw('not json at all')
      .raw('[1,2,3]')
      .respond(usage(100, 0, 0, 10));
    const text = `${rollout.text()}{"timestamp":"2026-05-01T10:09:00Z","type":"event_msg","payload":{"type":"tok`;
    const { events, diagnostics } = parseCodexRollout(text, FILE);

    expect(events).toHaveLength(1);
    expect(diagnostics.malformedLines).toBe(4);
    expect(diagnostics.malformedSamples).toEqual([
      `${FILE}:4: token_count: info.total_token_usage.input_tokens: Invalid input: expected number, received string`,
      `${FILE}:5: invalid JSON (truncated line?)`,
      `${FILE}:6: rollout line: Invalid input: expected object, received array`,
      `${FILE}:8: invalid JSON (truncated line?)`,
    ]);
    expect(diagnostics.lines).toBe(8);
  });

  it('keeps at most ten samples but counts every malformed line', () => {
    const { diagnostics } = parseCodexRollout('{\n'.repeat(25), FILE);
    expect(diagnostics.malformedLines).toBe(25);
    expect(diagnostics.malformedSamples).toHaveLength(10);
  });

  it('reads CRLF files exactly like LF files', () => {
    const rollout = new Rollout().turn().respond(usage(100, 50, 0, 10)).respond(usage(200, 150, 0, 5));
    expect(parseCodexRollout(rollout.text('\r\n'), FILE)).toEqual(parseCodexRollout(rollout.text('\n'), FILE));
  });

  it('reads empty files and blank lines as nothing', () => {
    expect(parseCodexRollout('', FILE)).toEqual({
      events: [],
      diagnostics: { filesRead: 1, lines: 0, responses: 0, duplicateLines: 0, malformedLines: 0, skippedLines: 0, malformedSamples: [] },
    });
    const { diagnostics } = parseCodexRollout(`\n   \n${new Rollout().turn().text()}\n\n`, FILE);
    expect(diagnostics.lines).toBe(3);
  });

  it('ignores line types it does not know', () => {
    const text = new Rollout().add('world_state', { x: 1 }).add('compacted', { message: '' }).turn().respond(usage(5)).text();
    const { events, diagnostics } = parseCodexRollout(text, FILE);
    expect(events).toHaveLength(1);
    expect(diagnostics.malformedLines).toBe(0);
  });
});

describe('parseCodexRollout: model, turn, tools', () => {
  it('takes the model from the latest turn_context', () => {
    const text = new Rollout().turn('gpt-5.2-codex').respond(usage(10)).turn('gpt-5.4').respond(usage(10)).text();
    expect(parseCodexRollout(text, FILE).events.map((event) => [event.model, event.turn])).toEqual([
      ['gpt-5.2-codex', 1],
      ['gpt-5.4', 2],
    ]);
  });

  it('falls back to session_meta.model, then to gpt-5, when no turn_context came first', () => {
    const withMetaModel = new Rollout({ model: 'o4-mini' }).respond(usage(10)).text();
    expect(parseCodexRollout(withMetaModel, FILE).events[0]!.model).toBe('o4-mini');
    const without = new Rollout().respond(usage(10)).text();
    expect(parseCodexRollout(without, FILE).events[0]).toMatchObject({ model: 'gpt-5', turn: 0 });
  });

  it('gives each response the tool calls made since the previous one, classified, without arguments', () => {
    const text = new Rollout()
      .turn()
      .call('exec_command', { cmd: 'rg --files src', workdir: '/secret/path' })
      .call('shell', { command: ['bash', '-lc', 'npm test'] })
      .respond(usage(10))
      .call('exec_command', { cmd: 'git status --short' })
      .add('response_item', { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch', call_id: 'p' })
      .add('response_item', { type: 'local_shell_call', action: { type: 'exec', command: ['pytest', '-q'] }, call_id: 'l' })
      .call('update_plan', { plan: [] })
      .call('mcp__github__create_issue', {})
      .call('linear__list_issues', {})
      .call('exec_command', 'not json')
      .add('response_item', { type: 'web_search_call', action: { query: 'x' } })
      .respond(usage(10))
      .respond(usage(10))
      .text();
    const { events } = parseCodexRollout(text, FILE);

    expect(events.map((event) => event.tools)).toEqual([
      [
        { name: 'exec_command', phase: 'exploration' },
        { name: 'shell', phase: 'testing' },
      ],
      [
        { name: 'exec_command', phase: 'git' },
        { name: 'apply_patch', phase: 'execution' },
        { name: 'local_shell', phase: 'testing' },
        { name: 'update_plan', phase: 'planning' },
        { name: 'mcp:github', phase: 'other' },
        { name: 'mcp:linear', phase: 'other' },
        { name: 'exec_command', phase: 'other' },
      ],
      [],
    ]);
    expect(events.map((event) => event.webSearchRequests)).toEqual([0, 1, 0]);
    expect(JSON.stringify(events)).not.toMatch(/rg --files|secret|npm test|git status|Begin Patch|create_issue/);
  });
});

describe('parseCodexRollout: session identity', () => {
  it('reads id, project, version and entrypoint from session_meta', () => {
    const text = new Rollout({ git: { branch: 'main', repository_url: 'git@github.com:acme/rocket-engine.git' }, originator: 'codex-tui', cli_version: '0.118.0' }).turn().respond(usage(10)).text();
    expect(parseCodexRollout(text, FILE).events[0]).toMatchObject({
      agent: 'codex',
      sessionId: THREAD,
      project: 'rocket-engine',
      agentVersion: '0.118.0',
      entrypoint: 'codex-tui',
      isSidechain: false,
      agentId: null,
      speed: 'standard',
    });
    expect(new Date(parseCodexRollout(text, FILE).events[0]!.timestampMs).toISOString()).toMatch(/^2026-05-01T10:00:\d\d\.000Z$/);
  });

  it('uses the working folder name without a git remote, and the source without an originator', () => {
    const text = new Rollout({ cwd: 'C:\\Users\\dev\\side-project\\', originator: null, source: 'vscode' }).respond(usage(10)).text();
    expect(parseCodexRollout(text, FILE).events[0]).toMatchObject({ project: 'side-project', entrypoint: 'vscode' });
  });

  it('takes the session id from the file name when there is no session_meta', () => {
    const event = parseCodexRollout(new Rollout({}, { noMeta: true }).respond(usage(10)).text(), FILE).events[0];
    expect(event).toMatchObject({ sessionId: THREAD, project: '', agentVersion: null, entrypoint: null, requestKey: `codex:${THREAD}:10` });
  });

  it('files a spawned sub-agent under its parent session, keyed by its own thread', () => {
    const parent = '0196a1b2-9999-7000-8000-000000000009';
    const source = { subagent: { thread_spawn: { parent_thread_id: parent, depth: 1, agent_nickname: 'Ada', agent_role: null } } };
    const event = parseCodexRollout(new Rollout({ source, forked_from_id: parent }).turn().respond(usage(10)).text(), FILE).events[0];
    expect(event).toMatchObject({ sessionId: parent, agentId: THREAD, isSidechain: true, requestKey: `codex:${THREAD}:10`, entrypoint: 'codex_exec' });
  });

  it('marks review sub-agents and thread_source sub-agents as sidechains', () => {
    const review = parseCodexRollout(new Rollout({ source: { subagent: 'review' } }).respond(usage(10)).text(), FILE).events[0];
    expect(review).toMatchObject({ sessionId: THREAD, agentId: THREAD, isSidechain: true });
    const threadSource = parseCodexRollout(new Rollout({ thread_source: 'subagent', parent_thread_id: 'p-1' }).respond(usage(10)).text(), FILE).events[0];
    expect(threadSource).toMatchObject({ sessionId: 'p-1', agentId: THREAD, isSidechain: true });
    const userFork = parseCodexRollout(new Rollout({ thread_source: 'user', forked_from_id: 'p-1' }).respond(usage(10)).text(), FILE).events[0];
    expect(userFork).toMatchObject({ sessionId: THREAD, agentId: null, isSidechain: false });
  });
});
