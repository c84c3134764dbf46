/** Gemini CLI tool calls -> `ToolCall`s (name and phase). Arguments are read only to classify, never kept. */
import type { ToolCall } from '../events.js';
import { classifyShellCommand, type Phase } from '../phase.js';
import { shellArgumentsSchema } from './schema.js';

/** Gemini CLI's built-in tools (`packages/core/src/tools/definitions/coreTools.ts`) and local agents. */
const GEMINI_TOOL_PHASES: Record<string, Phase> = {
  read_file: 'exploration',
  read_many_files: 'exploration',
  list_directory: 'exploration',
  glob: 'exploration',
  grep_search: 'exploration',
  /** The older name of `grep_search`. */
  search_file_content: 'exploration',
  google_web_search: 'exploration',
  web_fetch: 'exploration',
  get_internal_docs: 'exploration',
  write_todos: 'planning',
  enter_plan_mode: 'planning',
  exit_plan_mode: 'planning',
  tracker_create_task: 'planning',
  tracker_update_task: 'planning',
  tracker_get_task: 'planning',
  tracker_list_tasks: 'planning',
  tracker_add_dependency: 'planning',
  tracker_visualize: 'planning',
  write_file: 'execution',
  replace: 'execution',
  /** Local subagents are called as tools named after the agent. */
  codebase_investigator: 'delegation',
  cli_help: 'delegation',
  delegate_to_agent: 'delegation',
};

const SHELL_TOOL = 'run_shell_command';

export function toToolCall(name: string, args: unknown): ToolCall {
  const phase = name === SHELL_TOOL ? classifyShellCommand(shellCommand(args)) : (GEMINI_TOOL_PHASES[name] ?? 'other');
  return { name: geminiToolName(name), phase };
}

/**
 * MCP tool names are free text chosen by the server, so only the server is kept. Gemini names them
 * `mcp_<server>_<tool>` (older builds `<server>__<tool>` on a name clash); built-ins have neither.
 */
function geminiToolName(name: string): string {
  const current = /^mcp_([^_]+)_./.exec(name);
  if (current) return `mcp:${current[1]}`;
  const older = /^(.+?)__./.exec(name);
  if (older) return `mcp:${older[1]}`;
  // Tools found by the user's discovery command are named by the user.
  if (name.startsWith('discovered_tool_')) return 'discovered_tool';
  return name;
}

function shellCommand(args: unknown): string {
  const parsed = shellArgumentsSchema.safeParse(args);
  return parsed.success ? (parsed.data.command ?? '') : '';
}
