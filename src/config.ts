/**
 * Repository settings: `.tokenledger.json` at the repository root, every field optional, and the
 * key that anonymizes developers and branches. A missing file means the defaults; a broken one is
 * an error naming the file, the line and column or the fields, never a silent default.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AnonymizationKeyError, ConfigError, lineColumnAt, zodIssueProblems } from './errors.js';
import { gitMaybe } from './ledger/git.js';
import type { TimeResolution } from './summary/summarize.js';

export const CONFIG_FILE = '.tokenledger.json';

/**
 * What `git check-ref-format --branch` accepts, checked without running git, and never a
 * leading `-`: `remote` and `dataBranch` come from a file anyone can commit and end up as
 * arguments to `git push`, where `--receive-pack=…` would run a program.
 */
export function isValidBranchName(name: string): boolean {
  if (name === '' || name === '@' || name === 'HEAD' || name.startsWith('-')) return false;
  // Control characters, space, ~ ^ : ? * [ \ and DEL are never allowed in a ref name.
  if (/[\x00-\x20~^:?*[\\\x7f]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.endsWith('.')) return false;
  return name.split('/').every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}

const refName = (what: string) => z.string().refine(isValidBranchName, `expected ${what} (see git check-ref-format)`);

export const repoConfigSchema = z.strictObject({
  /** Editors' JSON-schema hint; ignored. */
  $schema: z.string().optional(),
  /** `hashed` (default): branch names are keyed HMACs in summaries; `plain`: the names as they are. */
  branchNames: z.enum(['hashed', 'plain']).default('hashed'),
  /** Resolution of absolute times in summaries (default `hour`). */
  timeResolution: z.enum(['minute', 'hour', 'day']).default('hour'),
  /** A label for every session of this repository (e.g. `backend`); same rule as the summary's. */
  category: z
    .string()
    .max(60, 'expected at most 60 characters')
    .regex(/^[A-Za-z0-9._-]+$/, 'expected a slug (letters, digits, ".", "_", "-")')
    .optional(),
  /** Branch that receives the summaries (default `token-data`). */
  dataBranch: refName('a valid branch name').default('token-data'),
  /** Remote the data branch is pushed to and fetched from (default `origin`). */
  remote: refName('a valid remote name').default('origin'),
  /** Trailer key that starts an experiment (default `Token-Strategy`); `<key>-End` ends it. */
  strategyTrailer: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/, 'expected a trailer key (letters, digits and "-")')
    .default('Token-Strategy'),
});

export type RepoConfig = z.infer<typeof repoConfigSchema>;

// The schema's resolutions and the summary's TimeResolution must be the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<RepoConfig['timeResolution'], TimeResolution>;

export const DEFAULT_CONFIG: RepoConfig = repoConfigSchema.parse({});

/**
 * Reads `<repoRoot>/.tokenledger.json`. A missing file gives the defaults; unreadable, invalid
 * JSON or a schema violation throws ConfigError naming the file and the line/column or fields.
 */
export async function loadRepoConfig(repoRoot: string): Promise<RepoConfig> {
  let text: string;
  try {
    text = await readFile(path.join(repoRoot, CONFIG_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...DEFAULT_CONFIG };
    throw new ConfigError(CONFIG_FILE, [{ field: '', message: `cannot be read (${(error as Error).message})` }], { cause: error });
  }
  return parseRepoConfig(text);
}

/** The text of a `.tokenledger.json` -> its settings with defaults filled in; see loadRepoConfig. */
export function parseRepoConfig(text: string, file = CONFIG_FILE): RepoConfig {
  const result = repoConfigSchema.safeParse(parseJsonText(text, file));
  if (!result.success) throw new ConfigError(file, zodIssueProblems(result.error.issues));
  return result.data;
}

/** JSON.parse, but a syntax error becomes a ConfigError with the file, line and column. */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.replace(/^\uFEFF/, ''); // editors on Windows write a byte-order mark
  try {
    return JSON.parse(body);
  } catch (error) {
    // Node 20's messages do not always give a position, so find it ourselves.
    const found = findJsonSyntaxError(body);
    if (!found) throw new ConfigError(file, [{ field: '', message: `invalid JSON (${(error as Error).message})` }], { cause: error });
    const { line, column } = lineColumnAt(body, found.offset);
    throw new ConfigError(file, [{ field: '', message: `invalid JSON: ${found.reason}` }], { line, column, cause: error });
  }
}

class JsonStop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

/** The offset and reason of the first JSON syntax error in `text`, or undefined if it is valid. */
function findJsonSyntaxError(text: string): JsonStop | undefined {
  let i = 0;
  const found = (): string => (i >= text.length ? 'end of file' : JSON.stringify(text[i]));
  const expected = (what: string): never => {
    throw new JsonStop(i, `expected ${what}, found ${found()}`);
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): void => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        if (text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5;
        else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i]!)) i++;
        else expected('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
      } else if (c < ' ') {
        throw new JsonStop(i, 'control character in a string (a line break needs \\n)');
      } else i++;
    }
    throw new JsonStop(i, 'unterminated string');
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          space();
          if (text[i] !== '"') expected('a property name in double quotes');
          string();
          space();
          if (text[i] !== ':') expected("':'");
          i++;
        }
        value();
        space();
        if (text[i] === close) {
          i++;
          return;
        }
        if (text[i] !== ',') expected(`',' or '${close}'`);
        i++;
      }
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!number) return expected('a value');
    i += number[0].length;
  };
  try {
    value();
    space();
    if (i < text.length) expected('end of file');
    return undefined;
  } catch (error) {
    if (error instanceof JsonStop) return error;
    if (error instanceof RangeError) return undefined; // nested too deep for this scanner
    throw error;
  }
}

export type KeySource = 'env' | 'git-config' | 'fallback';

export interface AnonymizationKey {
  key: string;
  source: KeySource;
}

/**
 * The key for the developer and branch HMACs (summary/anonymize.ts), the first of:
 *
 * 1. `TOKENLEDGER_KEY` in `env`;
 * 2. `git config tokenledger.key` (repository, global or system configuration);
 * 3. the fallback: SHA-256 of a fixed label and the id of the repository's root commit (the end
 *    of HEAD's first-parent chain, so every branch and every full clone finds the same commit,
 *    and a history merged in later does not change it).
 *
 * The fallback needs no setup and is the same for everyone on the team, so the ids line up. Its
 * weakness: it is not a secret. Anyone who can read the repository, and so the `token-data`
 * branch, can recompute the key and then test guessed e-mail addresses (company addresses follow a
 * pattern) and guessed branch names against the ids: with the fallback the ids are pseudonyms that
 * keep casual readers from seeing who is who, not protection against a colleague who tries. A
 * shared secret kept out of the repository (`TOKENLEDGER_KEY` from the team's secret store, or
 * `git config tokenledger.key`) prevents that. The fallback also differs per repository, so one
 * developer has a different id in each repository; a shared key gives one id everywhere.
 *
 * Throws AnonymizationKeyError when there is no key and the fallback cannot be derived: a
 * repository without commits, or a shallow clone (its oldest commit is not the root commit, so
 * the key would differ from everyone else's).
 */
export async function resolveAnonymizationKey(repoRoot: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<AnonymizationKey> {
  const fromEnv = env.TOKENLEDGER_KEY?.trim();
  if (fromEnv) return { key: fromEnv, source: 'env' };
  const fromGit = (await gitMaybe(repoRoot, ['config', '--get', 'tokenledger.key']))?.trim();
  if (fromGit) return { key: fromGit, source: 'git-config' };
  if ((await gitMaybe(repoRoot, ['rev-parse', '--is-shallow-repository'])) === 'true') {
    throw new AnonymizationKeyError(repoRoot, 'this clone is shallow, so the root commit the fallback key is derived from is unknown');
  }
  const roots = await gitMaybe(repoRoot, ['rev-list', '--first-parent', '--max-parents=0', 'HEAD']);
  const root = roots?.split('\n')[0];
  if (!root) throw new AnonymizationKeyError(repoRoot, 'the repository has no commits yet, so there is no root commit to derive the fallback key from');
  return { key: createHash('sha256').update(`tokenledger fallback key v1\0${root}`).digest('hex'), source: 'fallback' };
}
