/** `tokenledger site build|serve`: the team site from a partial (the Action's or a shard merge's). */
import path from 'node:path';
import type { Experiment } from '../../aggregate/experiments.js';
import type { AggregatePartial } from '../../aggregate/index.js';
import { judgeExperiments } from '../../aggregate/judge.js';
import { readPartialFile } from '../../aggregate/partial-file.js';
import { assertTimeZone } from '../../dates.js';
import { buildSite, normalizePathPrefix, type BuiltSite } from '../../site/build.js';
import { serveSite } from '../../site/serve.js';
import { packageRoot } from '../../package-root.js';
import { UserError } from '../output.js';

export interface SiteFlags {
  out: string;
  pathPrefix: string;
  title: string;
  timezone?: string;
  developers: string;
  minGroupSize: string;
  windowDays: string;
  minSessions: string;
  now?: string;
}

/** The site options every command shares, checked, with the partial's zone as default. */
export function siteOptions(flags: SiteFlags, partialTimezone: string) {
  if (flags.developers !== 'pseudonymous' && flags.developers !== 'off') throw new UserError(`--developers: "${flags.developers}"; choose pseudonymous or off`);
  const now = flags.now === undefined ? new Date() : new Date(flags.now);
  if (Number.isNaN(now.getTime())) throw new UserError(`--now: "${flags.now}" is not a date`);
  return {
    outDir: path.resolve(flags.out),
    templatesDir: path.join(packageRoot(), 'site'),
    title: flags.title,
    pathPrefix: normalizePathPrefix(flags.pathPrefix),
    timezone: assertTimeZone(flags.timezone ?? partialTimezone),
    developers: flags.developers,
    minGroupSize: positive(flags.minGroupSize, '--min-group-size'),
    now,
  } as const;
}

export function positive(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UserError(`${flag}: "${value}" is not a positive whole number`);
  return number;
}

/** Experiments judged with the window and minimum the flags give. */
export function judgeWithFlags(partial: AggregatePartial, flags: Pick<SiteFlags, 'windowDays' | 'minSessions'>): Experiment[] {
  return judgeExperiments(partial, { strategyWindowDays: positive(flags.windowDays, '--window-days'), minSessions: positive(flags.minSessions, '--min-sessions') }).experiments;
}

export async function runSiteBuild(partialFile: string, flags: SiteFlags): Promise<BuiltSite> {
  const partial = await readPartialFile(partialFile);
  const options = siteOptions(flags, partial.timezone);
  const built = await buildSite(partial, judgeWithFlags(partial, flags), options);
  process.stderr.write(`tokenledger: ${built.pages} pages and ${built.charts} charts in ${built.outDir}\n`);
  return built;
}

export async function runSiteServe(dir: string, flags: { port: string; pathPrefix: string }): Promise<void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port: "${flags.port}" is not a port number`);
  const { url } = await serveSite({ root: dir, pathPrefix: normalizePathPrefix(flags.pathPrefix), port }).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(error.code === 'EADDRINUSE' ? `port ${port} is in use: pass --port or set PORT` : error.message);
  });
  process.stdout.write(`tokenledger: serving ${path.resolve(dir)} at ${url} (Ctrl-C stops)\n`);
}
