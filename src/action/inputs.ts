/**
 * The Action's inputs: read as GitHub passes them (`INPUT_<NAME>` variables), validated with one
 * zod schema, and turned into the typed options `runNightlyReport` takes. An empty input means
 * "not given" (GitHub passes unset inputs as empty strings), so every default lives here, in the
 * schema, and nowhere else in the code (action.yml repeats them for the reader; a test keeps the
 * two equal).
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { z } from 'zod';
import { assertTimeZone } from '../dates.js';
import { UserFacingError } from '../errors.js';

export const COMMANDS = ['report', 'pr-comment', 'partial', 'merge'] as const;
export type Command = (typeof COMMANDS)[number];

export const INPUT_NAMES = [
  'command',
  'repositories',
  'token',
  'data-branch',
  'site-dir',
  'path-prefix',
  'site-title',
  'timezone',
  'strategy-window-days',
  'min-sessions',
  'min-group-size',
  'developers',
  'partial-file',
  'partials',
  'previous-partial',
  'git-cache',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** Raw inputs: undefined when empty. */
export type RawInputs = Partial<Record<InputName, string>>;

export class InputError extends UserFacingError {}

/** A repository to read, as configured and as git fetches it. */
export interface RepositorySource {
  /** As configured (`owner/name`, a git URL or a local path): the name in reports and the partial. */
  name: string;
  /** What `git fetch` is given. */
  url: string;
  /** Whether the token goes with the fetch (only to the GitHub server, never to other hosts). */
  authenticated: boolean;
}

/** Where the inputs are interpreted: the runner's context. */
export interface InputContext {
  /** `GITHUB_REPOSITORY`, the default of `repositories`. */
  repository?: string | undefined;
  /** `GITHUB_SERVER_URL`, e.g. `https://github.com`. */
  serverUrl: string;
  /** Relative local paths and `site-dir` resolve against this (`GITHUB_WORKSPACE`). */
  workspace: string;
  /** Scratch space (`RUNNER_TEMP`). */
  tempDir: string;
}

export interface ReportOptions {
  command: Command;
  repositories: RepositorySource[];
  token: string | undefined;
  dataBranch: string;
  /** Absolute. */
  siteDir: string;
  pathPrefix: string;
  siteTitle: string;
  timezone: string;
  strategyWindowDays: number;
  minSessions: number;
  minGroupSize: number;
  developers: 'pseudonymous' | 'off';
  serverUrl: string;
  tempDir: string;
  /** `partial` only: where the shard's partial is written. Absolute. */
  partialFile: string;
  /** `merge` only: the partials to merge, as given (paths or globs, relative to the workspace). */
  partials: string[];
  /** Last night's partial, whose sessions are reused for unchanged data branches. Absolute. */
  previousPartial: string | undefined;
  /**
   * A folder kept between runs (e.g. by actions/cache) holding the fetched data branches, so a
   * night fetches only the objects added since. Absolute; undefined: a fresh fetch every run.
   */
  gitCache: string | undefined;
  /** Relative `partials` resolve against this. */
  workspace: string;
}

const positiveInt = z
  .string()
  .regex(/^\d+$/, 'a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'at least 1'));

// A branch name git accepts and that cannot be taken for an option or leave refs/heads/.
const branchName = z
  .string()
  .regex(/^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![./])$/, 'a branch name such as token-data')
  .refine((name) => !name.startsWith('refs/'), 'a branch name without refs/heads/');

const timezone = z.string().refine((zone) => {
  try {
    assertTimeZone(zone);
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as UTC or Europe/Berlin');

/** The one place defaults live. Keys are the input names, so errors name the input as written. */
export const inputSchema = z.object({
  command: z.enum(COMMANDS).default('report'),
  repositories: z.string().optional(),
  token: z.string().optional(),
  'data-branch': branchName.default('token-data'),
  'site-dir': z.string().default('_site'),
  'path-prefix': z.string().startsWith('/', 'a path starting with /').default('/'),
  'site-title': z.string().default('tokenledger'),
  timezone: timezone.default('UTC'),
  'strategy-window-days': positiveInt.default(14),
  'min-sessions': positiveInt.default(20),
  'min-group-size': positiveInt.default(3),
  developers: z.enum(['pseudonymous', 'off']).default('pseudonymous'),
  'partial-file': z.string().default('tokenledger-partial.json'),
  partials: z.string().optional(),
  'previous-partial': z.string().optional(),
  'git-cache': z.string().optional(),
});
export type Inputs = z.infer<typeof inputSchema>;

/** Reads every input from the environment; an empty one becomes undefined. */
export function readRawInputs(): RawInputs {
  const raw: RawInputs = {};
  for (const name of INPUT_NAMES) {
    const value = core.getInput(name);
    if (value !== '') raw[name] = value;
  }
  return raw;
}

/** The runner's context from the environment GitHub sets. */
export function readContext(env: NodeJS.ProcessEnv = process.env): InputContext {
  return {
    repository: env.GITHUB_REPOSITORY || undefined,
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    tempDir: env.RUNNER_TEMP || tmpdir(),
  };
}

/**
 * Validates raw inputs; throws InputError naming the input. `pr-comment` reads only the
 * repository of the pull request (`GITHUB_REPOSITORY`), and `merge` reads no repository at all,
 * only `partials`: a `repositories` list there is refused rather than silently ignored.
 */
export function parseInputs(raw: RawInputs, context: InputContext): ReportOptions {
  const parsed = inputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`input "${String(issue.path[0] ?? '?')}": ${issue.message}`);
  }
  const inputs = parsed.data;
  const command = inputs.command;
  if (command === 'pr-comment' && inputs.repositories !== undefined) throw new InputError('input "repositories": pr-comment reads only the pull request\'s repository (GITHUB_REPOSITORY); leave it empty');
  if (command === 'merge' && inputs.repositories !== undefined) throw new InputError('input "repositories": merge reads no repository, only the partials of the shards; leave it empty');
  if (command !== 'merge' && inputs.partials !== undefined) throw new InputError(`input "partials": only merge reads partials; ${command} reads repositories`);
  if (command === 'merge' && inputs['previous-partial'] !== undefined) throw new InputError('input "previous-partial": merge reads no data branch to reuse it for; give it to the partial or report steps');
  if (command === 'merge' && inputs['git-cache'] !== undefined) throw new InputError('input "git-cache": merge fetches no data branch; give it to the partial or report steps');

  let repositories: RepositorySource[] = [];
  let partials: string[] = [];
  if (command === 'merge') {
    partials = listLines(inputs.partials);
    if (partials.length === 0) throw new InputError('input "partials": no partial file listed (merge needs the files the partial steps wrote)');
  } else {
    const listed = inputs.repositories ?? context.repository;
    if (listed === undefined) throw new InputError('input "repositories": empty, and GITHUB_REPOSITORY is not set to default to');
    const lines = listLines(listed);
    if (lines.length === 0) throw new InputError('input "repositories": no repository listed');
    repositories = lines.map((line) => repositorySource(line, context));
  }

  return {
    command,
    repositories,
    token: inputs.token,
    dataBranch: inputs['data-branch'],
    siteDir: path.resolve(context.workspace, inputs['site-dir']),
    pathPrefix: inputs['path-prefix'],
    siteTitle: inputs['site-title'],
    timezone: inputs.timezone,
    strategyWindowDays: inputs['strategy-window-days'],
    minSessions: inputs['min-sessions'],
    minGroupSize: inputs['min-group-size'],
    developers: inputs.developers,
    serverUrl: context.serverUrl,
    tempDir: context.tempDir,
    partialFile: path.resolve(context.workspace, inputs['partial-file']),
    partials,
    previousPartial: inputs['previous-partial'] === undefined ? undefined : path.resolve(context.workspace, inputs['previous-partial']),
    gitCache: inputs['git-cache'] === undefined ? undefined : path.resolve(context.workspace, inputs['git-cache']),
    workspace: context.workspace,
  };
}

/** A newline list without blank lines and `#` comments. */
function listLines(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** `readRawInputs` + `parseInputs`; the token is masked in the log before anything else runs. */
export function readInputs(): ReportOptions {
  const raw = readRawInputs();
  if (raw.token !== undefined) core.setSecret(raw.token);
  return parseInputs(raw, readContext());
}

const OWNER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCP_LIKE = /^[\w.-]+@[\w.-]+:/;

/**
 * `owner/name` is a GitHub repository (a relative local path must start with `./`); anything with
 * a scheme or `user@host:` is a git URL; the rest is a local path. The token goes only to the
 * GitHub server, so a URL naming another host never sees it.
 */
export function repositorySource(line: string, context: Pick<InputContext, 'serverUrl' | 'workspace'>): RepositorySource {
  // git would read a leading dash as an option (e.g. --upload-pack=<command>).
  if (line.startsWith('-')) throw new InputError(`input "repositories": "${line}" is not a repository`);
  if (OWNER_NAME.test(line) && !line.startsWith('.')) return { name: line, url: `${context.serverUrl}/${line.replace(/\.git$/, '')}.git`, authenticated: true };
  if (URL_LIKE.test(line) || SCP_LIKE.test(line)) {
    if (/^[a-z]+:\/\/[^/]*@/i.test(line)) throw new InputError('input "repositories": put credentials in the token input, not in a URL');
    return { name: line, url: line, authenticated: line.startsWith(`${context.serverUrl}/`) };
  }
  return { name: line, url: path.resolve(context.workspace, line), authenticated: false };
}
