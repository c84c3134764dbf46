/**
 * tokenledger's entries in a Claude Code settings file (pure: objects in, objects out).
 *
 * Claude Code's layout is event -> matcher groups -> handlers:
 *   { "hooks": { "SessionEnd": [ { "hooks": [ { "type": "command", "command": "…", "timeout": 1 } ] } ] } }
 * Install appends one matcher group per event and touches nothing else; uninstall removes our
 * handlers, then only the containers that removal left empty. Our handlers carry no marker key
 * (Claude Code's schema has none to spare); they are recognised by their command, which names
 * tokenledger and runs `hook run`.
 */
import path from 'node:path';
import { describeJson, isPlainObject, type Settings } from './hook-settings-json.js';

/** The events tokenledger hooks, in the order install adds them. */
export const CAPTURE_EVENTS = ['SessionEnd', 'SessionStart'] as const;
export type CaptureEvent = (typeof CAPTURE_EVENTS)[number];

/** What each event's hook does for us, for messages. */
export const CAPTURE_ROLES: Record<CaptureEvent, string> = { SessionEnd: 'capture', SessionStart: 'sweep' };

/**
 * Handler timeouts, in seconds (Claude Code's unit; not milliseconds).
 * - SessionEnd: all SessionEnd hooks share a 1.5 s budget, which Claude Code raises to the highest
 *   SessionEnd `timeout` in the settings files (up to 60 s). 1 s keeps the budget at 1.5 s, so
 *   installing tokenledger never makes quitting Claude Code slower nor changes what other tools'
 *   SessionEnd hooks get; `hook run` keeps its own deadline well inside it and pushes detached.
 * - SessionStart: the sweep finds sessions SessionEnd missed (crashes, `claude -p`). 10 s caps how
 *   long a slow disk or git could hold up a new session; the default would be 600 s.
 */
export const HOOK_TIMEOUT_SECONDS: Record<CaptureEvent, number> = { SessionEnd: 1, SessionStart: 10 };

/** A `command` handler as install writes it. */
export interface CommandHandler {
  type: 'command';
  command: string;
  timeout: number;
}

/**
 * Double-quotes a word for the POSIX shell Claude Code runs a `command` through: inside double
 * quotes only `\`, `"`, `$` and the backquote are special, so a path with spaces stays one word.
 */
export function shellQuote(word: string): string {
  return `"${word.replace(/[\\"$`]/g, '\\$&')}"`;
}

/**
 * The command the hooks run: absolute node and absolute script, so it works whatever PATH or
 * node version manager the Claude Code process has (hooks run without the user's shell profile).
 * Shell form rather than exec form (`args`) because older Claude Code versions only know `command`.
 */
export function hookCommand(nodePath: string, scriptPath: string): string {
  return `${shellQuote(nodePath)} ${shellQuote(scriptPath)} hook run`;
}

/** True for a handler tokenledger installed (or an equivalent one written by hand). */
export function isTokenledgerHandler(handler: unknown): handler is CommandHandler {
  return (
    isPlainObject(handler) &&
    handler.type === 'command' &&
    typeof handler.command === 'string' &&
    handler.command.includes('tokenledger') &&
    handler.command.includes(' hook run')
  );
}

/**
 * The first place where `settings` does not have the shape Claude Code documents, looking only
 * at the parts we edit (`hooks`, and our two events in it), or undefined when it is fine.
 */
export function hookShapeProblem(settings: Settings): { field: string; detail: string } | undefined {
  if (settings.hooks === undefined) return undefined;
  if (!isPlainObject(settings.hooks)) return { field: 'hooks', detail: `expected an object of event names, found ${describeJson(settings.hooks)}` };
  for (const event of CAPTURE_EVENTS) {
    const groups = settings.hooks[event];
    if (groups === undefined) continue;
    if (!Array.isArray(groups)) return { field: `hooks.${event}`, detail: `expected an array of matcher groups, found ${describeJson(groups)}` };
    for (const [index, group] of groups.entries()) {
      const field = `hooks.${event}[${index}]`;
      if (!isPlainObject(group)) return { field, detail: `expected a matcher group ({ "hooks": [...] }), found ${describeJson(group)}` };
      if (group.hooks !== undefined && !Array.isArray(group.hooks)) return { field: `${field}.hooks`, detail: `expected an array of handlers, found ${describeJson(group.hooks)}` };
    }
  }
  return undefined;
}

function assertShape(settings: Settings): void {
  const problem = hookShapeProblem(settings);
  if (problem) throw new Error(`settings field ${problem.field}: ${problem.detail}`);
}

/** Our handlers in one event's matcher groups, in file order (the objects themselves). */
function ourHandlers(groups: unknown): CommandHandler[] {
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((group) => (isPlainObject(group) && Array.isArray(group.hooks) ? group.hooks.filter(isTokenledgerHandler) : []));
}

/**
 * `groups` without the handlers `remove` picks; a group that loses handlers and has none left is
 * dropped, while a group that was already empty stays (it is not ours to tidy).
 */
function removeHandlers(groups: unknown[], remove: (handler: unknown) => boolean): { groups: unknown[]; removed: number } {
  let removed = 0;
  const kept: unknown[] = [];
  for (const group of groups) {
    if (isPlainObject(group) && Array.isArray(group.hooks)) {
      const handlers = group.hooks.filter((handler) => !remove(handler));
      const dropped = group.hooks.length - handlers.length;
      removed += dropped;
      if (dropped > 0 && handlers.length === 0) continue;
      if (dropped > 0) group.hooks = handlers;
    }
    kept.push(group);
  }
  return { groups: kept, removed };
}

export type HookChange = 'added' | 'updated' | 'unchanged';

export interface HookInstall {
  settings: Settings;
  changes: Record<CaptureEvent, HookChange>;
  /** False when `settings` already had exactly these hooks: nothing should be written. */
  changed: boolean;
}

/**
 * `settings` with our SessionEnd and SessionStart handlers running `command`. A handler of ours
 * that is already there is updated in place (a moved checkout, another node); duplicates of it
 * are removed; when there is none, a new matcher group is appended after everyone else's.
 */
export function installHooks(settings: Settings, command: string): HookInstall {
  assertShape(settings);
  const next = structuredClone(settings);
  const hooks = isPlainObject(next.hooks) ? next.hooks : (next.hooks = {});
  const changes = {} as Record<CaptureEvent, HookChange>;
  for (const event of CAPTURE_EVENTS) {
    const timeout = HOOK_TIMEOUT_SECONDS[event];
    const groups = (hooks[event] ??= []) as unknown[];
    const [first, ...duplicates] = ourHandlers(groups);
    if (!first) {
      const handler: CommandHandler = { type: 'command', command, timeout };
      groups.push({ hooks: [handler] });
      changes[event] = 'added';
    } else if (duplicates.length === 0 && first.command === command && first.timeout === timeout) {
      changes[event] = 'unchanged';
    } else {
      first.command = command;
      first.timeout = timeout;
      hooks[event] = removeHandlers(groups, (handler) => duplicates.includes(handler as CommandHandler)).groups;
      changes[event] = 'updated';
    }
  }
  return { settings: next, changes, changed: CAPTURE_EVENTS.some((event) => changes[event] !== 'unchanged') };
}

export interface HookUninstall {
  settings: Settings;
  /** Handlers removed per event. */
  removed: Record<CaptureEvent, number>;
  changed: boolean;
}

/**
 * `settings` without our handlers, then without the matcher groups, event arrays and `hooks`
 * object that only this removal left empty. Everything else keeps its place and order.
 */
export function uninstallHooks(settings: Settings): HookUninstall {
  assertShape(settings);
  const next = structuredClone(settings);
  const removed: Record<CaptureEvent, number> = { SessionEnd: 0, SessionStart: 0 };
  const hooks = next.hooks;
  if (!isPlainObject(hooks)) return { settings: next, removed, changed: false };
  let emptiedAnEvent = false;
  for (const event of CAPTURE_EVENTS) {
    const groups = hooks[event];
    if (!Array.isArray(groups)) continue;
    const result = removeHandlers(groups, isTokenledgerHandler);
    removed[event] = result.removed;
    if (result.removed === 0) continue;
    if (result.groups.length === 0) {
      delete hooks[event];
      emptiedAnEvent = true;
    } else hooks[event] = result.groups;
  }
  if (emptiedAnEvent && Object.keys(hooks).length === 0) delete next.hooks;
  return { settings: next, removed, changed: removed.SessionEnd + removed.SessionStart > 0 };
}

export interface InstalledHook {
  command: string;
  /** Seconds, as written; undefined when the handler has none (Claude Code's default applies). */
  timeout: number | undefined;
}

/** Our handlers per event, as found in `settings` (an event may have none, or several). */
export function findHooks(settings: Settings): Record<CaptureEvent, InstalledHook[]> {
  const hooks = isPlainObject(settings.hooks) ? settings.hooks : {};
  const found = (event: CaptureEvent) =>
    ourHandlers(hooks[event]).map((handler) => ({ command: handler.command, timeout: typeof handler.timeout === 'number' ? handler.timeout : undefined }));
  return { SessionEnd: found('SessionEnd'), SessionStart: found('SessionStart') };
}

export function hasTokenledgerHooks(settings: Settings): boolean {
  const found = findHooks(settings);
  return CAPTURE_EVENTS.some((event) => found[event].length > 0);
}

/** The words of a shell command, unquoted (double, single and backslash quoting; no expansion). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let at = 0; at < command.length; ) {
    const char = command[at]!;
    if (char === '"') {
      word ??= '';
      for (at += 1; at < command.length && command[at] !== '"'; at += 1) {
        if (command[at] === '\\' && /[\\"$`\n]/.test(command[at + 1] ?? '')) at += 1;
        word += command[at];
      }
      at += 1;
    } else if (char === "'") {
      const end = command.indexOf("'", at + 1);
      word = (word ?? '') + command.slice(at + 1, end < 0 ? undefined : end);
      at = end < 0 ? command.length : end + 1;
    } else if (char === '\\') {
      word = (word ?? '') + (command[at + 1] ?? '');
      at += 2;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      at += 1;
    } else {
      word = (word ?? '') + char;
      at += 1;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The absolute paths a hook command starts from: the script before `hook run`, and the program
 * before that (node). A moved checkout or a removed node version makes the command exit 127, which
 * Claude Code treats as a non-blocking error and ignores. Undefined where the command names no
 * absolute path (e.g. `tokenledger hook run`, found on PATH).
 */
export function hookCommandPaths(command: string): { node: string | undefined; script: string | undefined } {
  const words = shellWords(command);
  const at = words.findIndex((word, index) => word === 'hook' && words[index + 1] === 'run');
  const absolute = (word: string | undefined) => (word !== undefined && path.isAbsolute(word) ? word : undefined);
  const script = at > 0 ? absolute(words[at - 1]) : undefined;
  return { script, node: script && at > 1 ? absolute(words[at - 2]) : undefined };
}
