/**
 * Phases of work, and the classifier that puts a tool call into one. Shell command text is read
 * here only to classify and is never returned or stored.
 */
export const PHASES = ['exploration', 'planning', 'execution', 'testing', 'git', 'delegation', 'other'] as const;
export type Phase = (typeof PHASES)[number];

const TOOL_PHASES: Record<string, Phase> = {
  Read: 'exploration',
  Grep: 'exploration',
  Glob: 'exploration',
  LS: 'exploration',
  WebFetch: 'exploration',
  WebSearch: 'exploration',
  NotebookRead: 'exploration',
  ToolSearch: 'exploration',
  BashOutput: 'exploration',
  TodoWrite: 'planning',
  TodoRead: 'planning',
  ExitPlanMode: 'planning',
  EnterPlanMode: 'planning',
  TaskCreate: 'planning',
  TaskUpdate: 'planning',
  TaskList: 'planning',
  TaskGet: 'planning',
  update_plan: 'planning',
  Edit: 'execution',
  Write: 'execution',
  MultiEdit: 'execution',
  NotebookEdit: 'execution',
  apply_patch: 'execution',
  Task: 'delegation',
  Agent: 'delegation',
  SendMessage: 'delegation',
};

/** Shell tools whose command decides the phase (Claude Code's Bash, Codex's shell tools). */
const SHELL_TOOLS = new Set(['Bash', 'shell', 'exec_command', 'local_shell', 'container.exec']);

const GIT_COMMAND = /^(?:git|gh)$/;
const TEST_COMMAND =
  /^(?:npm|pnpm|yarn|bun|npx|node|deno|pytest|py\.test|tox|nox|jest|vitest|mocha|ava|tsc|eslint|prettier|biome|ruff|mypy|pyright|flake8|pylint|black|cargo|go|make|cmake|ctest|gradle|gradlew|\.\/gradlew|mvn|mvnw|\.\/mvnw|dotnet|mix|rspec|rake|bundle|phpunit|composer|swift|xcodebuild|bazel|just|turbo|nx|playwright|cypress|shellcheck|golangci-lint|clippy)$/;
const TEST_ARGUMENT = /\b(?:test|tests|spec|check|lint|build|typecheck|tsc|vet|clippy|verify|ci)\b/;
/** Runners that only ever test, lint or build. */
const ALWAYS_TESTING = /^(?:pytest|py\.test|tox|nox|jest|vitest|mocha|ava|tsc|eslint|prettier|biome|ruff|mypy|pyright|flake8|pylint|black|rspec|phpunit|ctest|playwright|cypress|shellcheck|golangci-lint|make|cmake|gradle|gradlew|\.\/gradlew|mvn|mvnw|\.\/mvnw|xcodebuild|bazel)$/;

/** Splits a shell command line into its simple commands (on `&&`, `||`, `;`, `|`, newlines). */
function simpleCommands(command: string): string[][] {
  return command
    .split(/&&|\|\||[;|\n]/)
    .map((part) => part.trim().split(/\s+/).filter(Boolean))
    .map((words) => {
      // Skip leading environment assignments and wrappers such as `sudo`, `time`, `env`.
      let i = 0;
      while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || /^(?:sudo|time|env|exec|nice|timeout)$/.test(words[i]!))) {
        i += words[i] === 'timeout' ? 2 : 1;
      }
      return words.slice(i);
    })
    .filter((words) => words.length > 0);
}

/** The program a package runner launches (`npx vitest`, `pnpm exec jest`, `bunx tsc`), or null. */
function launchedCommand(words: string[]): string[] | null {
  let i: number;
  if (/^(?:npx|pnpx|bunx)$/.test(words[0]!)) i = 1;
  else if (/^(?:pnpm|yarn|bun)$/.test(words[0]!) && /^(?:exec|dlx|x)$/.test(words[1] ?? '')) i = 2;
  else return null;
  while (i < words.length && words[i]!.startsWith('-')) i++;
  return i < words.length ? words.slice(i) : null;
}

function isTestCommand(words: string[]): boolean {
  const program = words[0]!.replace(/^.*\//, '');
  return ALWAYS_TESTING.test(program) || (TEST_COMMAND.test(program) && TEST_ARGUMENT.test(words.slice(1).join(' ')));
}

/** The phase of one shell command: git wins over testing, testing over plain exploration. */
export function classifyShellCommand(command: string): Phase {
  let phase: Phase = 'other';
  for (const words of simpleCommands(command)) {
    const program = words[0]!.replace(/^.*\//, '');
    if (GIT_COMMAND.test(program)) return 'git';
    const launched = launchedCommand(words);
    if (isTestCommand(words) || (launched !== null && isTestCommand(launched))) {
      phase = 'testing';
    } else if (phase === 'other' && /^(?:ls|cat|head|tail|find|grep|rg|fd|tree|wc|less|sed|awk|pwd|file|stat|du)$/.test(program)) {
      phase = 'exploration';
    }
  }
  return phase;
}

/** Reduces `mcp__<server>__<tool>` to `mcp:<server>`: tool names inside a server are free text. */
export function toolDisplayName(name: string): string {
  const mcp = /^mcp__([^_]+(?:_[^_]+)*?)__/.exec(name);
  if (mcp) return `mcp:${mcp[1]}`;
  return name;
}

/**
 * Classifies a tool call. `command` is the shell command for shell tools (string or argv array);
 * it is inspected and dropped.
 */
export function classifyToolCall(name: string, command?: unknown): Phase {
  if (SHELL_TOOLS.has(name)) {
    const text = Array.isArray(command) ? command.map(String).join(' ') : typeof command === 'string' ? command : '';
    // Codex wraps commands as ["bash", "-lc", "<script>"]: classify the script.
    const script = Array.isArray(command) && command.length >= 3 && /^-l?c$/.test(String(command[1])) ? String(command[2]) : text;
    return classifyShellCommand(script);
  }
  const known = TOOL_PHASES[name];
  if (known) return known;
  if (name.startsWith('mcp__')) return 'other';
  return 'other';
}
