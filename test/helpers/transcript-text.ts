/**
 * What a transcript says that a summary must never repeat: every string value of every line
 * (prompts, responses, thinking, tool inputs and results, cwd, gitBranch, paths, slugs, uuids,
 * session ids), and the words that identify a person or their work (the user name in a recorded
 * working folder, branch names). Used by the privacy tests over every real fixture transcript.
 */
import type { SessionSummary } from '../../src/summary/schema.js';

/** Strings shorter than this are too common to tell anything ("main", "user", "text"). */
export const MIN_LEAF_LENGTH = 6;

/** Every string value (keys are structure, not content) anywhere in every line; an unparseable line is kept whole. */
export function stringLeaves(texts: readonly string[]): Set<string> {
  const leaves = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') leaves.add(value);
    else if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) walk(item);
  };
  for (const text of texts) {
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      try {
        walk(JSON.parse(line));
      } catch {
        leaves.add(line);
      }
    }
  }
  return leaves;
}

/**
 * What a summary legitimately shares with its transcript, read from the summary itself: its model
 * ids, tool names (for `mcp:<server>` also the server name), agent version and entrypoint, and its
 * field names (fixed by the strict schema, so a transcript string equal to one, such as "models",
 * tells nothing).
 */
export function summaryVocabulary(summaries: Iterable<SessionSummary>): Set<string> {
  const allowed = new Set<string>();
  const addKeys = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) addKeys(item);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        allowed.add(key);
        addKeys(item);
      }
    }
  };
  for (const summary of summaries) {
    addKeys(summary);
    for (const model of summary.models) allowed.add(model.model);
    for (const model of summary.unpricedModels) allowed.add(model);
    for (const tool of Object.keys(summary.tools)) {
      allowed.add(tool);
      if (tool.startsWith('mcp:')) allowed.add(tool.slice(4));
    }
    if (summary.agentVersion) allowed.add(summary.agentVersion);
    if (summary.entrypoint) allowed.add(summary.entrypoint);
  }
  return allowed;
}

/**
 * The leaves of at least MIN_LEAF_LENGTH characters found anywhere in `text` (JSON), once every
 * whole JSON string equal to an `allowed` one is blanked out: so the transcript's `"thinking"`
 * block type may sit inside the model id `longcat-flash-thinking-…` and `"remove"` inside the
 * field name `"removed"`, but any other occurrence counts. Leaves with no letter or digit (runs
 * of spaces, `-----`, `},`) carry no text and would only find JSON layout.
 */
export function leakedLeaves(leaves: Iterable<string>, text: string, allowed: ReadonlySet<string>): string[] {
  let masked = text;
  for (const word of [...allowed].sort((a, b) => b.length - a.length)) masked = masked.replaceAll(JSON.stringify(word), '""');
  const leaked: string[] = [];
  for (const leaf of leaves) {
    if (leaf.length < MIN_LEAF_LENGTH || !/[\p{L}\p{N}]/u.test(leaf)) continue;
    // A long string is also looked for by its start: a summary field could hold it cut short.
    if (masked.includes(leaf) || (leaf.length > PREFIX_LENGTH && masked.includes(leaf.slice(0, PREFIX_LENGTH)))) leaked.push(leaf);
  }
  return leaked;
}

/** Longer strings are also looked for by their first this many characters. */
const PREFIX_LENGTH = 24;

/**
 * Words that identify someone, of any length: the account name in each recorded working folder
 * (`/Users/<name>/`, `/home/<name>/`, `C:\Users\<name>\`) and each recorded branch name.
 */
export function identifyingWords(texts: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(/"cwd":"((?:[^"\\]|\\.)*)"/g)) {
      const cwd = JSON.parse(`"${match[1]}"`) as string;
      const user = /^(?:\/Users\/|\/home\/|[A-Za-z]:\\Users\\)([^/\\]+)/.exec(cwd)?.[1];
      if (user) words.add(user);
    }
    for (const match of text.matchAll(/"gitBranch":"((?:[^"\\]|\\.)*)"/g)) {
      const branch = JSON.parse(`"${match[1]}"`) as string;
      // Claude Code writes "HEAD" for a detached HEAD: git's name for it, not the developer's.
      if (branch !== '' && branch !== 'HEAD') words.add(branch);
    }
  }
  return words;
}

/** The `words` found in `text` as whole words (not inside a longer run of letters, digits, `.`, `_` or `-`). */
export function wordsFound(words: Iterable<string>, text: string): string[] {
  const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...words].filter((word) => new RegExp(`(?<![\\w.-])${escape(word)}(?![\\w.-])`).test(text));
}
