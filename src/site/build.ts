/**
 * Builds the static site: page data and charts from the aggregates (model.ts, render.ts), then
 * Eleventy lays them out with the templates in the package's `site/` folder, then the download
 * files. Nothing is fetched at view time; every page works without JavaScript.
 */
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Experiment } from '../aggregate/experiments.js';
import type { AggregatePartial } from '../aggregate/index.js';
import { UserFacingError } from '../errors.js';
import type { SiteOptions } from './context.js';
import { buildSiteModel } from './model.js';
import { renderCharts } from './render.js';

export interface BuildSiteOptions extends SiteOptions {
  /** Output folder: missing, empty, or built by tokenledger before (it is emptied first). */
  outDir: string;
  /** The `site/` folder of templates (the package's own by default). */
  templatesDir: string;
}

export interface BuiltSite {
  outDir: string;
  pages: number;
  charts: number;
  /** Milliseconds per step. */
  timings: { model: number; charts: number; eleventy: number; files: number };
}

/** `/`, `/repo/` from `repo`, `/a/b/` from `a/b/`: the form Eleventy's pathPrefix expects. */
export function normalizePathPrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9._~\-/]*$/.test(trimmed)) throw new Error(`path prefix ${JSON.stringify(prefix)}: use letters, digits, ".", "_", "~", "-" and "/" only`);
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/** Marks a folder tokenledger built, so a later build may empty it. */
const SITE_MARKER = '.tokenledger-site';

export class SiteFolderError extends UserFacingError {}

/**
 * Empties the output folder before a build, but only one that is missing, empty or built by
 * tokenledger before: `--out .` or `site-dir: .` must never wipe a checkout.
 */
async function emptySiteFolder(dir: string): Promise<void> {
  const entries: string[] = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0 && !entries.includes(SITE_MARKER)) {
    throw new SiteFolderError(`${dir} is not empty and was not built by tokenledger (no ${SITE_MARKER} in it): choose an empty or new folder for the site, since a build replaces everything in it`);
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

export async function buildSite(partial: AggregatePartial, experiments: Experiment[], options: BuildSiteOptions): Promise<BuiltSite> {
  const pathPrefix = normalizePathPrefix(options.pathPrefix);
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = Math.round(now - mark);
    mark = now;
    return elapsed;
  };
  const { model, charts, files } = buildSiteModel(partial, experiments, { ...options, pathPrefix });
  const timings = { model: lap(), charts: 0, eleventy: 0, files: 0 };
  await renderCharts(charts);
  timings.charts = lap();

  await emptySiteFolder(options.outDir);
  // Eleventy registers an ESM cache-busting loader for its watch mode; a one-off build does not
  // need it, and inside the Action's single-file bundle the loader's file does not exist.
  process.env.ELEVENTY_SKIP_ESM_RESOLVER = '1';
  const { Eleventy, HtmlBasePlugin } = await import('@11ty/eleventy');
  const eleventy = new Eleventy(options.templatesDir, options.outDir, {
    configPath: path.join(options.templatesDir, 'eleventy.config.js'),
    pathPrefix,
    quietMode: true,
    config: (config) => {
      config.addGlobalData('tl', model);
      // Rewrites every absolute href/src for project Pages (`/repo/…`); added here rather than in
      // eleventy.config.js, which must not import packages (see _config/filters.js).
      config.addPlugin(HtmlBasePlugin);
    },
  });
  const written = await eleventy.write();
  timings.eleventy = lap();

  await cp(path.join(options.templatesDir, 'assets'), path.join(options.outDir, 'assets'), { recursive: true });
  await mkdir(path.join(options.outDir, 'data'), { recursive: true });
  await writeFile(path.join(options.outDir, 'data', 'daily.csv'), files.csv);
  await writeFile(path.join(options.outDir, 'data', 'daily.json'), files.json);
  // GitHub Pages would otherwise run Jekyll, which skips files and folders starting with "_".
  await writeFile(path.join(options.outDir, '.nojekyll'), '');
  await writeFile(path.join(options.outDir, SITE_MARKER), 'Built by tokenledger; the next build empties this folder.\n');
  timings.files = lap();
  return { outDir: options.outDir, pages: countPages(written), charts: charts.length, timings };
}

function countPages(written: unknown): number {
  // Eleventy 3 resolves write() to [passthroughCopies, templates].
  if (Array.isArray(written) && Array.isArray(written[1])) return (written[1] as { outputPath?: string }[]).filter((entry) => entry.outputPath?.endsWith('.html')).length;
  return 0;
}
