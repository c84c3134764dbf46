/**
 * Hostile text in what a summary or the Action's configuration may hold reaches the site only as
 * text. Repository names are free text (the `repositories` input: `owner/name`, a URL or a path);
 * model ids, tool names, categories and strategy slugs are restricted by the summary schema, so
 * the names here are the worst that can arrive. Every page is opened in Chromium: no dialog
 * opens, no script but the site's own runs, and the names read back as the text they are.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPartial } from '../../src/aggregate/index.js';
import { judgeExperiments } from '../../src/aggregate/judge.js';
import { buildSite } from '../../src/site/build.js';
import { serveSite } from '../../src/site/serve.js';
import { hasChromium, launchChromium, mapLimit } from '../helpers/browser.js';
import { makeTempDir, removeSuiteTempDirs } from '../helpers/git-repos.js';
import { ROOT } from '../helpers/hook.js';
import { summary } from '../helpers/summaries.js';

const HOSTILE = ['"><script>alert(1)</script>', "<img src=x onerror=alert('img')>", "it's & \"{{ 7*7 }}\" {% raw %}", 'javascript:alert(2)'];
const NOW = new Date('2026-06-30T12:00:00Z');

// Runs in the page (the project's TypeScript has no DOM types, so the browser code is a string).
const PAGE_FACTS = `(() => ({
  text: document.body.innerText + document.title,
  scripts: [...document.scripts].map((script) => script.getAttribute('src') ?? 'inline'),
  images: document.images.length,
  javascriptLinks: [...document.querySelectorAll('a[href]')].filter((a) => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
  links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
}))()`;

function inputs() {
  return HOSTILE.map((repository, r) => ({
    repository,
    dataRef: 'token-data',
    tip: null,
    invalidFiles: 0,
    summaries: Array.from({ length: 30 }, (_, i) => {
      const start = new Date(NOW.getTime() - (i * 24 + r) * 3_600_000);
      const hour = (ms: number) => `${new Date(ms).toISOString().slice(0, 13)}:00:00Z`;
      return summary({ session: `${r}-${i}`, developer: `dev-${i % 4}`, startedAt: hour(start.getTime()), endedAt: hour(start.getTime() + 3_600_000), strategies: i < 10 ? ['index-first'] : [], models: [{ model: 'claude-sonnet-4-6', requests: 3, tokens: { input: 100 + i, output: 50, cacheRead: 1000 } }] });
    }),
  }));
}

describe.skipIf(!hasChromium)('hostile names on the site', () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let outDir: string;

  beforeAll(async () => {
    const built = buildPartial(inputs(), { timezone: 'UTC', builtBy: 'test' });
    const partial = { ...built, sources: built.sources.map((source) => ({ ...source, strategyEvents: [{ sha: 'a'.repeat(40), at: NOW.getTime() - 10 * 86_400_000, starts: ['index-first'], ends: [] }] })) };
    const { experiments } = judgeExperiments(partial, { strategyWindowDays: 14, minSessions: 5 });
    outDir = await makeTempDir('tl-hostile-site-');
    await buildSite(partial, experiments, { outDir, templatesDir: path.join(ROOT, 'site'), title: '<b>team</b>', pathPrefix: '/', timezone: 'UTC', developers: 'pseudonymous', minGroupSize: 1, now: NOW });
    ({ server, url } = await serveSite({ root: outDir, pathPrefix: '/', port: 0 }));
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await removeSuiteTempDirs();
  });

  it('opens no dialog, runs no script but its own, and shows every name as text, on every page', { timeout: 120_000 }, async () => {
    const context = await browser.newContext();
    const dialogs: string[] = [];
    const queue = [url];
    const seen = new Set(queue);
    const pages: { url: string; text: string; scripts: string[]; images: number; javascriptLinks: number }[] = [];
    while (queue.length > 0) {
      const batch = queue.splice(0);
      pages.push(
        ...(await mapLimit(batch, 4, async (target) => {
          const page = await context.newPage();
          page.on('dialog', (dialog) => {
            dialogs.push(`${target}: ${dialog.message()}`);
            void dialog.dismiss();
          });
          await page.goto(target);
          const facts = (await page.evaluate(PAGE_FACTS)) as { text: string; scripts: string[]; images: number; javascriptLinks: number; links: string[] };
          for (const link of facts.links) {
            const clean = link.split('#')[0]!;
            if (clean.startsWith(url) && !seen.has(clean) && !/\.(csv|json)$/.test(clean)) {
              seen.add(clean);
              queue.push(clean);
            }
          }
          await page.close();
          return { url: target, ...facts };
        })),
      );
    }
    await context.close();
    expect(dialogs).toEqual([]);
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) {
      expect(page.scripts, page.url).toEqual([`/assets/enhance.js`]);
      expect(page.images, page.url).toBe(0);
      expect(page.javascriptLinks, page.url).toBe(0);
    }
    const repositories = pages.find((page) => page.url === `${url}repositories/`)!;
    for (const name of HOSTILE) expect(repositories.text).toContain(name);
    // Eleventy renders templates once: data that looks like a template stays text.
    expect(pages.find((page) => page.url.includes('/repositories/it-s-7-7-raw/'))?.text).toContain('"{{ 7*7 }}" {% raw %}');
    expect(pages.every((page) => page.text.includes('<b>team</b>'))).toBe(true);
  });

  it('writes the names into the charts as escaped SVG text', async () => {
    const { readFile } = await import('node:fs/promises');
    const home = await readFile(path.join(outDir, 'index.html'), 'utf8');
    const svg = home.slice(home.indexOf('id="top-repositories"'));
    expect(svg).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(home.match(/<script/g)).toHaveLength(1);
    expect(home).not.toContain('<img');
  });
});
