/** OpenCode tool calls -> `ToolCall`s (name and phase). The bash command is read only to classify, never kept. */
import type { ToolCall } from '../events.js';
import { classifyToolCall } from '../phase.js';

/**
 * OpenCode's built-in tools and the Claude Code tool each one matches, whose phase it shares
 * (`phase.ts` knows Claude Code's names). `null`: a built-in with no counterpart, phase `other`.
 */
const BUILT_IN: Record<string, string | null> = {
  bash: 'Bash',
  read: 'Read',
  glob: 'Glob',
  grep: 'Grep',
  list: 'LS',
  codesearch: 'Grep',
  lsp_diagnostics: 'Read',
  lsp_hover: 'Read',
  webfetch: 'WebFetch',
  websearch: 'WebSearch',
  todowrite: 'TodoWrite',
  todoread: 'TodoRead',
  plan_enter: 'EnterPlanMode',
  plan_exit: 'ExitPlanMode',
  edit: 'Edit',
  write: 'Write',
  multiedit: 'MultiEdit',
  patch: 'apply_patch',
  apply_patch: 'apply_patch',
  task: 'Task',
  batch: null,
  question: null,
  skill: null,
  invalid: null,
};

export function toToolCall(tool: string, command: unknown): ToolCall {
  const counterpart = BUILT_IN[tool];
  if (counterpart !== undefined) {
    return { name: tool, phase: counterpart === null ? 'other' : classifyToolCall(counterpart, counterpart === 'Bash' ? command : undefined) };
  }
  // OpenCode names MCP tools `<server>_<tool>`; the tool part is free text chosen by the server, so
  // only the server is kept. Built-ins with `_` are listed above.
  const server = /^(.+?)_/.exec(tool);
  return { name: server ? `mcp:${server[1]}` : tool, phase: 'other' };
}
