// Bench `site` (registered in run.mjs): the team site at scale (issue 5, "Budgets"): one year ×
// 50 repositories × 200 developers (BENCH_SITE_SESSIONS, default 500,000 sessions) through
// buildPartial and judgeExperiments, then buildSite timed alone (charts + Eleventy + downloads),
// and the built pages weighed: the overview gzipped (what Pages transfers) and the largest page.
//
// This file is also the child: `node bench/site.mjs child <lib> <sessions> <seed> <outDir>`
// prints one JSON line.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { makeGenerator } from './aggregate.mjs';

const HERE = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(HERE), '..');
const DATA_DIR = path.join(REPO, 'bench', '.data');
const BUNDLE_DIR = path.join(DATA_DIR, 'site-bundle');
const LIB_FILE = path.join(BUNDLE_DIR, 'site-lib.js');
export const SITE_TARGETS = { buildSeconds: 90, overviewGzipKiB: 300, pageMiB: 1 };
/** Repositories that start a strategy (day 200 of 2026), so the strategy pages have data. */
const STRATEGY_REPOSITORIES = { 'index-first': [0, 1, 2, 3, 4], 'plan-mode': [5, 6, 7] };

async function bundle() {
  const { build } = await import('esbuild');
  const { nodeBundle } = await import(pathToFileURL(path.join(REPO, 'scripts', 'bundle-options.mjs')).href);
  fs.rmSync(BUNDLE_DIR, { recursive: true, force: true });
  fs.mkdirSync(BUNDLE_DIR, { recursive: true });
  const entry = path.join(BUNDLE_DIR, 'entry.mjs');
  fs.writeFileSync(entry, ['aggregate/build.ts', 'aggregate/judge.ts', 'aggregate/partial-file.ts', 'site/build.ts'].map((file) => `export * from ${JSON.stringify(path.join(REPO, 'src', file))};`).join('\n'));
  // As the CLI build: split, with the chart worker beside the chunks (src/site/render.ts looks
  // there), and Eleventy, Vega and better-sqlite3 loaded from node_modules. Not minified, so
  // profiles of the child name our functions.
  await build({
    ...nodeBundle,
    entryPoints: { 'site-lib': entry, 'site-render-worker': path.join(REPO, 'src', 'site', 'render-worker.ts') },
    external: ['@11ty/eleventy', 'vega', 'vega-lite', 'better-sqlite3'],
    splitting: true,
    outdir: BUNDLE_DIR,
    chunkNames: '[name]-[hash]',
  });
}

async function child([lib, sessionsText, seedText, outDir]) {
  const { buildPartial, judgeExperiments, buildSite, writePartialFile, readPartialFile } = await import(pathToFileURL(lib).href);
  const sessions = Number(sessionsText);
  const generate = makeGenerator(Number(seedText));
  let t = performance.now();
  const byRepository = new Map();
  for (let i = 0; i < sessions; i++) {
    const { repository, summary } = generate(i);
    const name = `acme/repo-${String(repository).padStart(2, '0')}`;
    let list = byRepository.get(name);
    if (!list) byRepository.set(name, (list = []));
    list.push(summary);
  }
  const generateSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const inputs = [...byRepository].sort(([a], [b]) => (a < b ? -1 : 1)).map(([repository, summaries]) => ({ repository, dataRef: 'token-data', tip: null, summaries, invalidFiles: 0 }));
  const built = buildPartial(inputs, { timezone: 'UTC', builtBy: 'bench' });
  byRepository.clear();
  inputs.length = 0;
  const start = Date.UTC(2026, 0, 1) + 200 * 86_400_000;
  const partial = {
    ...built,
    sources: built.sources.map((source, r) => {
      const starts = Object.entries(STRATEGY_REPOSITORIES).filter(([, repos]) => repos.includes(r)).map(([slug]) => slug);
      return { ...source, strategyEvents: starts.length === 0 ? [] : [{ sha: 'a'.repeat(40), at: start, starts, ends: [] }] };
    }),
  };
  const { experiments } = judgeExperiments(partial, { strategyWindowDays: 14, minSessions: 20 });
  const partialSeconds = (performance.now() - t) / 1000;
  // The Action writes the partial (partial-file) and the next night reads it back (previous-partial).
  const partialFile = path.join(path.dirname(outDir), 'bench-partial.json');
  t = performance.now();
  await writePartialFile(partialFile, partial);
  const writeSeconds = (performance.now() - t) / 1000;
  const partialMiB = fs.statSync(partialFile).size / 1024 / 1024;
  t = performance.now();
  const readBack = await readPartialFile(partialFile);
  const readSeconds = (performance.now() - t) / 1000;
  const readBackOk = readBack.sessions.length === partial.sessions.length && readBack.daily.length === partial.daily.length;
  fs.rmSync(partialFile);
  t = performance.now();
  const site = await buildSite(partial, experiments, {
    outDir, templatesDir: path.join(REPO, 'site'), title: 'bench', pathPrefix: '/', timezone: 'UTC', developers: 'pseudonymous', minGroupSize: 3, now: new Date('2026-12-31T20:00:00Z'),
  });
  const siteSeconds = (performance.now() - t) / 1000;
  const pages = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) pages.push({ page: path.relative(outDir, full), bytes: fs.statSync(full).size });
    }
  };
  walk(outDir);
  pages.sort((a, b) => b.bytes - a.bytes);
  const overview = fs.readFileSync(path.join(outDir, 'index.html'));
  const css = fs.readFileSync(path.join(outDir, 'assets', 'site.css'));
  console.log(JSON.stringify({
    sessions: partial.sessions.length, repositories: partial.sources.length, experiments: experiments.length,
    generateSeconds, partialSeconds, writeSeconds, readSeconds, partialMiB, readBackOk, siteSeconds, timings: site.timings, pages: site.pages, charts: site.charts, htmlFiles: pages.length,
    overviewBytes: overview.length, overviewGzip: gzipSync(overview, { level: 6 }).length + gzipSync(css, { level: 6 }).length,
    largest: pages[0], dailyCsvBytes: fs.statSync(path.join(outDir, 'data', 'daily.csv')).size,
  }));
}

/** `h` holds run.mjs's helpers: measure, table, targetRow, fmtRss, fmtInt. */
export async function benchSite(ctx, h) {
  const sessions = Number(process.env.BENCH_SITE_SESSIONS || 500_000);
  const outDir = path.join(ctx.tmpRoot, 'site');
  console.log('site: bundling buildPartial/buildSite with esbuild into bench/.data/');
  await bundle();
  console.log(`site: ${h.fmtInt(sessions)} generated sessions -> partial -> site (child process)`);
  const run = h.measure(ctx, process.execPath, ['--max-old-space-size=16384', HERE, 'child', LIB_FILE, String(sessions), String(ctx.config.seed), outDir], { PATH: process.env.PATH, HOME: ctx.emptyHome, TZ: 'UTC' });
  let result;
  try {
    result = JSON.parse(run.stdout.trim().split('\n').pop());
  } catch {
    return { title: 'site', failed: true, markdown: `The child failed: ${(run.error ?? run.stderr ?? '').slice(0, 500)}` };
  }
  const r = result;
  console.log(`  site ${r.siteSeconds.toFixed(1)} s (model ${r.timings.model} ms, charts ${r.timings.charts} ms, Eleventy ${r.timings.eleventy} ms), ${r.pages} pages, overview ${(r.overviewGzip / 1024).toFixed(0)} KiB gzip, largest ${r.largest.page} ${(r.largest.bytes / 1024).toFixed(0)} KiB`);
  const targets = [
    h.targetRow(h.fmtInt(r.sessions), 'buildSite wall (charts + Eleventy + downloads)', r.siteSeconds, `${r.siteSeconds.toFixed(1)} s`, SITE_TARGETS.buildSeconds, `${SITE_TARGETS.buildSeconds} s`),
    h.targetRow(h.fmtInt(r.sessions), 'overview transferred without JavaScript (HTML + CSS, gzip)', r.overviewGzip / 1024, `${(r.overviewGzip / 1024).toFixed(0)} KiB`, SITE_TARGETS.overviewGzipKiB, `${SITE_TARGETS.overviewGzipKiB} KiB`),
    h.targetRow(h.fmtInt(r.sessions), `largest page (${r.largest.page})`, r.largest.bytes / 1024 / 1024, `${(r.largest.bytes / 1024).toFixed(0)} KiB`, SITE_TARGETS.pageMiB, '1 MiB'),
  ];
  const markdown = [
    `${h.fmtInt(r.sessions)} sessions in ${r.repositories} repositories from the aggregate bench's generator (one year, 200 developers, seed ${ctx.config.seed}), ${r.experiments} experiments.`,
    h.table(['Measured', 'Wall', 'Detail', 'Peak RSS'], [
      ['generate summaries (setup)', `${r.generateSeconds.toFixed(1)} s`, 'in the child', ''],
      ['buildPartial + judgeExperiments', `${r.partialSeconds.toFixed(1)} s`, 'what the Action does before the site', ''],
      ['write the partial file, read it back', `${r.writeSeconds.toFixed(1)} s + ${r.readSeconds.toFixed(1)} s`, `${r.partialMiB.toFixed(0)} MiB, a row per line (one JSON string of it would exceed V8's limit); read back ${r.readBackOk ? 'complete' : '**INCOMPLETE**'}, every row schema-checked`, ''],
      ['buildSite', `${r.siteSeconds.toFixed(1)} s`, `page data ${(r.timings.model / 1000).toFixed(1)} s, ${h.fmtInt(r.charts)} charts to SVG ${(r.timings.charts / 1000).toFixed(1)} s, Eleventy ${(r.timings.eleventy / 1000).toFixed(1)} s (${h.fmtInt(r.pages)} pages), downloads ${(r.timings.files / 1000).toFixed(1)} s (daily.csv ${(r.dailyCsvBytes / 1024 / 1024).toFixed(1)} MiB)`, h.fmtRss(run.rssKiB)],
    ]),
    h.table(['Data', 'Target', 'Value', 'Limit', 'Result'], targets.map((x) => [x.size, x.target, x.value, x.limit, x.result])),
    '- Peak RSS is the whole child (GNU time %M): the generated summaries, the partial and the site build. "Transferred" is gzip level 6 of the overview HTML and the stylesheet, as Pages serves them; the 2 KB enhancement script is not counted (the budget is without JavaScript).',
  ].join('\n\n');
  return { title: 'site', failed: !r.readBackOk || targets.some((x) => x.result.includes('FAIL')), markdown };
}

if (process.argv[1] && path.resolve(process.argv[1]) === HERE && process.argv[2] === 'child') await child(process.argv.slice(3));
