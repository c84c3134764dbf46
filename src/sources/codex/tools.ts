/** Codex tool calls -> `ToolCall`s (name and phase). Arguments are read only to classify, never kept. */
import type { ToolCall } from '../events.js';
import { classifyToolCall, toolDisplayName } from '../phase.js';
import { shellArgumentsSchema } from './schema.js';

/** Codex's shell tools; their command decides the phase. */
const SHELL_TOOLS = new Set(['shell', 'exec_command', 'local_shell', 'container.exec']);

/** A `function_call` or `custom_tool_call`, whose `arguments` (if any) are a JSON string. */
export function toToolCall(name: string, args: string | null | undefined): ToolCall {
  return { name: codexToolName(name), phase: classifyToolCall(name, shellCommand(name, args)) };
}

/** A `local_shell_call`: no name, an argv `command`. */
export function toLocalShellCall(command: string[] | undefined): ToolCall {
  return { name: 'local_shell', phase: classifyToolCall('local_shell', command) };
}

/**
 * MCP tool names are free text chosen by the server, so only the server is kept. Codex names them
 * `<server>__<tool>` (newer builds `mcp__<server>__<tool>`); its built-in tools have no `__`.
 */
function codexToolName(name: string): string {
  if (name.startsWith('mcp__')) return toolDisplayName(name);
  const server = /^(.+?)__/.exec(name);
  return server ? `mcp:${server[1]}` : name;
}

/** `shell` has an argv `command`, `exec_command` a string `cmd`; anything unreadable classifies as other. */
function shellCommand(name: string, args: string | null | undefined): string | string[] | undefined {
  if (!SHELL_TOOLS.has(name) || !args) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(args);
  } catch {
    return undefined;
  }
  const parsed = shellArgumentsSchema.safeParse(json);
  return parsed.success ? (parsed.data.command ?? parsed.data.cmd ?? undefined) : undefined;
}
