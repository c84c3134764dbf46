/**
 * Errors that name the thing: the file, where in it (line and column when known) and which
 * field, so a message can be acted on without reading the code. `describeZodIssues` turns zod's
 * issues into the same `field: message` lines every error here uses.
 */
import type { z } from 'zod';

/**
 * An error the user can act on (bad input, a missing file, a setting to make): the CLI prints
 * its message as one line, without a stack, and exits 1. Anything else is a bug and keeps its stack.
 */
export class UserFacingError extends Error {}

/** One thing wrong in a file. `field` is a dotted path (`models[0].tokens`), '' for the whole file. */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface ErrorLocationOptions {
  /** 1-based. */
  line?: number;
  /** 1-based, in UTF-16 code units. */
  column?: number;
  cause?: unknown;
}

/**
 * `.tokenledger.json` (or another configuration file) cannot be read, is not JSON, or breaks
 * its schema. The message has one line per problem: `<file>[:line:column]: [field: ]message`.
 */
export class ConfigError extends UserFacingError {
  override readonly name = 'ConfigError';
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    /** The file as shown to the user (`.tokenledger.json`, relative to the repository root). */
    readonly file: string,
    readonly problems: readonly FieldProblem[],
    options: ErrorLocationOptions = {},
  ) {
    super(formatProblems(file, problems, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.line = options.line;
    this.column = options.column;
  }
}

/**
 * No key for the developer and branch HMACs could be found or derived (see
 * `resolveAnonymizationKey` in config.ts). Capture can still record the session with the
 * developer and branch left out (`null`); the message says how to set a key.
 */
export class AnonymizationKeyError extends UserFacingError {
  override readonly name = 'AnonymizationKeyError';

  constructor(
    readonly repoRoot: string,
    readonly reason: string,
  ) {
    super(`${repoRoot}: no anonymization key: ${reason}; set TOKENLEDGER_KEY or run 'git config tokenledger.key <shared secret>'`);
  }
}

function formatProblems(file: string, problems: readonly FieldProblem[], options: ErrorLocationOptions): string {
  const where = options.line === undefined ? file : `${file}:${options.line}:${options.column ?? 1}`;
  const lines = problems.length === 0 ? [{ field: '', message: 'invalid' }] : problems;
  return lines.map((problem) => `${where}: ${formatProblem(problem)}`).join('\n');
}

/** `field: message`, or the message alone for a problem with the whole file. */
export function formatProblem(problem: FieldProblem): string {
  return problem.field === '' ? problem.message : `${problem.field}: ${problem.message}`;
}

/** `a.b[0]["odd key"]`: how a zod path reads in a message. */
export function fieldPath(base: readonly PropertyKey[]): string {
  let out = '';
  for (const key of base) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

// zod's default messages start with a category ("Invalid input: expected number, received
// string"); the field name already says where, so the category is left out. Custom messages
// given in a schema are kept as written.
const DEFAULT_PREFIX = /^(?:Invalid (?:input|option|string|number|value|key|element)|Too (?:big|small)): /;

/**
 * zod issues -> one problem per bad field. An unknown-keys issue becomes one problem per key
 * (`extra: unknown key`), an enum issue lists the accepted values (`expected one of a, b`).
 */
export function zodIssueProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ field: fieldPath([...issue.path, key]), message: 'unknown key' });
    } else if (issue.code === 'invalid_value' && issue.message.startsWith('Invalid ')) {
      const values = issue.values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
      problems.push({ field: fieldPath(issue.path), message: values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join(', ')}` });
    } else {
      problems.push({ field: fieldPath(issue.path), message: issue.message.replace(DEFAULT_PREFIX, '') });
    }
  }
  return problems;
}

/** zod issues -> `field: message` lines (see `zodIssueProblems`). */
export function describeZodIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return zodIssueProblems(issues).map(formatProblem);
}

/** 1-based line and column of a character offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNewline };
}
