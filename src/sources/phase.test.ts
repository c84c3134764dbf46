import { describe, expect, it } from 'vitest';
import { classifyShellCommand, classifyToolCall, PHASES, toolDisplayName, type Phase } from './phase.js';

describe('classifyToolCall: built-in tools', () => {
  const families: Record<Exclude<Phase, 'testing' | 'git'>, string[]> = {
    exploration: ['Read', 'Grep', 'Glob', 'LS', 'WebFetch', 'WebSearch', 'NotebookRead', 'ToolSearch', 'BashOutput'],
    planning: ['TodoWrite', 'TodoRead', 'ExitPlanMode', 'EnterPlanMode', 'TaskCreate', 'TaskUpdate', 'TaskList', 'TaskGet', 'update_plan'],
    execution: ['Edit', 'Write', 'MultiEdit', 'NotebookEdit', 'apply_patch'],
    delegation: ['Task', 'Agent', 'SendMessage'],
    other: ['Skill', 'KillBash', 'SomeFutureTool', 'mcp__github__create_issue', 'mcp__claude_ai_Notion__fetch'],
  };

  for (const [phase, tools] of Object.entries(families)) {
    it(`puts ${tools.join(', ')} into ${phase}`, () => {
      for (const tool of tools) expect(classifyToolCall(tool), tool).toBe(phase);
    });
  }

  it('ignores a command argument for tools that are not shells', () => {
    // A Read whose input happens to carry a `command` must stay exploration.
    expect(classifyToolCall('Read', 'git push')).toBe('exploration');
    expect(classifyToolCall('Edit', 'npm test')).toBe('execution');
  });

  it('only ever answers one of the known phases', () => {
    for (const name of ['Read', 'Bash', 'x', '', 'mcp__', 'mcp__a__b']) expect(PHASES).toContain(classifyToolCall(name, 'ls'));
  });
});

describe('classifyToolCall: shell commands', () => {
  const bash = (command: unknown) => classifyToolCall('Bash', command);

  it.each(['npm test', 'npx vitest run', 'pytest -q', 'cargo build', 'go test ./...', 'make', 'eslint .', 'npx jest --watch=false', 'npm run build', 'pnpm typecheck', 'npx tsc --noEmit'])(
    'classifies `%s` as testing',
    (command) => {
      expect(bash(command)).toBe('testing');
    },
  );

  it.each(['git status', 'gh pr view', 'cd x && git commit -m y', '/usr/bin/git log', 'git add . && npm test', 'npm test && git push'])('classifies `%s` as git', (command) => {
    expect(bash(command)).toBe('git');
  });

  it.each(['ls -la', 'cat f', 'rg foo', 'ls | wc -l', 'find . -name "*.ts"'])('classifies `%s` as exploration', (command) => {
    expect(bash(command)).toBe('exploration');
  });

  it.each(['echo hi', 'python script.py', 'npm install', 'node script.js', 'go run .', 'cargo add serde', 'npx prettier-like-but-not'])(
    'classifies `%s` as other',
    (command) => {
      expect(bash(command)).toBe('other');
    },
  );

  it('looks through package runners at the program they launch', () => {
    // `vitest` and `jest` are not arguments npm-style runners are matched on; the launched program is.
    expect(bash('npx -y vitest run')).toBe('testing');
    expect(bash('bunx jest')).toBe('testing');
    expect(bash('pnpm exec mocha')).toBe('testing');
    expect(bash('yarn dlx eslint .')).toBe('testing');
    expect(bash('npx cowsay hi')).toBe('other');
    expect(bash('npx')).toBe('other');
  });

  it('lets testing win over exploration in a compound command, in either order', () => {
    expect(bash('ls && npm test')).toBe('testing');
    expect(bash('npm test; cat out.log')).toBe('testing');
    expect(bash('npm test | tail -5')).toBe('testing');
  });

  it('skips environment assignments and wrappers before the program', () => {
    expect(bash('CI=1 npm test')).toBe('testing');
    expect(bash('CI=1 FORCE_COLOR=0 pytest')).toBe('testing');
    expect(bash('sudo npm test')).toBe('testing');
    expect(bash('env NODE_ENV=test npm test')).toBe('testing');
    expect(bash('timeout 60 cargo test')).toBe('testing');
    expect(bash('time make')).toBe('testing');
    expect(bash('sudo git pull')).toBe('git');
    // An assignment alone is not a command.
    expect(bash('FOO=1')).toBe('other');
  });

  it('reads the script of a Codex argv command (`bash -lc <script>`)', () => {
    expect(classifyToolCall('shell', ['bash', '-lc', 'npm test'])).toBe('testing');
    expect(classifyToolCall('shell', ['bash', '-c', 'git diff'])).toBe('git');
    expect(classifyToolCall('exec_command', ['zsh', '-lc', 'cd repo && rg TODO'])).toBe('exploration');
    // A plain argv (no -c) is read as the words themselves.
    expect(classifyToolCall('shell', ['git', 'status'])).toBe('git');
    expect(classifyToolCall('local_shell', ['ls', '-la'])).toBe('exploration');
  });

  it('treats every shell tool the same way', () => {
    for (const tool of ['Bash', 'shell', 'exec_command', 'local_shell', 'container.exec']) {
      expect(classifyToolCall(tool, 'pytest -q'), tool).toBe('testing');
      expect(classifyToolCall(tool, 'git status'), tool).toBe('git');
    }
  });

  it('calls a shell tool without a usable command other', () => {
    expect(classifyToolCall('Bash')).toBe('other');
    expect(classifyToolCall('Bash', 42)).toBe('other');
    expect(classifyToolCall('Bash', '')).toBe('other');
    expect(classifyToolCall('Bash', '   ')).toBe('other');
  });

  it('classifyShellCommand agrees with classifyToolCall on Bash', () => {
    for (const command of ['npm test', 'git status', 'ls', 'echo hi']) expect(classifyShellCommand(command)).toBe(bash(command));
  });
});

describe('toolDisplayName', () => {
  it('reduces an MCP tool to its server', () => {
    expect(toolDisplayName('mcp__github__create_issue')).toBe('mcp:github');
  });

  it('keeps underscores inside the server name', () => {
    expect(toolDisplayName('mcp__claude_ai_Notion__fetch')).toBe('mcp:claude_ai_Notion');
    expect(toolDisplayName('mcp__my_server__do_a_thing')).toBe('mcp:my_server');
  });

  it('keeps hyphens and dots in the server name', () => {
    expect(toolDisplayName('mcp__plugin-x.y__tool')).toBe('mcp:plugin-x.y');
  });

  it('leaves built-in names as they are', () => {
    for (const name of ['Bash', 'Read', 'apply_patch', 'update_plan', 'mcp_single_underscore']) expect(toolDisplayName(name)).toBe(name);
  });

  it('never returns the MCP tool part, which is free text', () => {
    expect(toolDisplayName('mcp__srv__secret_tool_name')).not.toContain('secret');
  });
});
