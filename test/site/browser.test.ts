/**
 * The demo team site in a real browser (Debian Chromium driven by playwright-core): built once at
 * `/` and once under a project-Pages prefix, served as GitHub Pages would, crawled from the home
 * page through every internal link. Every page must load cleanly, every link resolve inside the
 * prefix, every chart show SVG marks (also without JavaScript), the planted experiment effects
 * must be what the experiment pages show, and the keyboard and phone layouts must work.
 * Screenshots of the main pages land in test-artifacts/screenshots/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoPartial, DEMO_NOW, generateDemoTeam, type PlantedEffect } from '../../fixtures/demo-team/generate.js';
import { judgeExperiments } from '../../src/aggregate/judge.js';
import { buildSite } from '../../src/site/build.js';
import { serveSite } from '../../src/site/serve.js';
import { CHROMIUM_PATH, hasChromium, launchChromium, mapLimit, pngSize } from '../helpers/browser.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOTS = path.join(REPO, 'test-artifacts', 'screenshots');
const PREFIXES = ['/', '/tokenledger-demo/'] as const;
type Prefix = (typeof PREFIXES)[number];
/** Pages open at once, per crawl. */
const CONCURRENCY = 4;
const PAGE_TIMEOUT = 20_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const KINDS = ['overview', 'repositories', 'repository', 'developers', 'models', 'phases', 'strategies', 'experiment', 'sessions', 'session', 'data'] as const;
type Kind = (typeof KINDS)[number];

/** The kind of page at `rel`, the path after the prefix (`''`, `repositories/`, `sessions/ses_…/`). */
function kindOf(rel: string): Kind | null {
  if (rel === '') return 'overview';
  const match = /^([a-z]+)\/(?:([^/]+)\/)?$/.exec(rel);
  if (!match) return null;
  const [, section, item] = match;
  if (item === undefined) return (KINDS as readonly string[]).includes(section!) ? (section as Kind) : null;
  return ({ repositories: 'repository', strategies: 'experiment', sessions: 'session' } as const)[section as 'repositories'] ?? null;
}

interface ChartFacts {
  id: string;
  svgs: number;
  /** Laid-out size of the chart's first SVG, in CSS pixels, and the width Vega drew it at. */
  width: number;
  height: number;
  drawnWidth: number;
  marks: number;
  title: string;
  description: string;
  tableRows: number;
}

interface PageFacts {
  links: { href: string; resolved: string }[];
  ids: string[];
  charts: ChartFacts[];
}

interface Visit extends PageFacts {
  url: string;
  kind: Kind | null;
  status: number | null;
  problems: string[];
}

interface Crawl {
  visits: Map<string, Visit>;
  /** Broken, escaping or dangling links (with the page they are on). */
  linkProblems: string[];
  /** Non-page targets (downloads) and the status each answered with. */
  resources: Map<string, number | string>;
}

interface Site {
  prefix: Prefix;
  dir: string;
  server: Server;
  /** `http://127.0.0.1:<port><prefix>` */
  url: string;
}

// Runs in the page (the project's TypeScript has no DOM types, so the browser code is a string).
// A mark is a Vega scenegraph item exposed as a graphics symbol that is not an axis, a legend or
// a title, or a part of one.
const PAGE_FACTS = `(() => {
  const NOT_MARKS = '[aria-roledescription="axis"], [aria-roledescription="legend"], [aria-roledescription="title"]';
  const marksIn = (root) => [...root.querySelectorAll('svg [role="graphics-symbol"]')].filter((el) => !el.closest(NOT_MARKS)).length;
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, ' ').trim() : '');
  return {
    links: [...document.querySelectorAll('a[href]')].map((a) => ({ href: a.getAttribute('href'), resolved: new URL(a.getAttribute('href'), document.baseURI).href })),
    ids: [...document.querySelectorAll('[id]')].map((el) => el.id),
    charts: [...document.querySelectorAll('figure.chart')].map((fig) => ({
      id: fig.id,
      svgs: fig.querySelectorAll('svg').length,
      width: Math.round(fig.querySelector('svg')?.getBoundingClientRect().width ?? 0),
      height: Math.round(fig.querySelector('svg')?.getBoundingClientRect().height ?? 0),
      drawnWidth: Math.round(fig.querySelector('svg')?.viewBox.baseVal?.width || 0),
      marks: marksIn(fig),
      title: text(fig.querySelector('h3')),
      description: (fig.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean).map((id) => text(document.getElementById(id))).join(' '),
      tableRows: fig.querySelectorAll('details table tbody tr').length,
    })),
  };
})()`;

/** Pages are folders (or .html files); anything else under the prefix is a download or asset. */
function isPage(pathname: string): boolean {
  return pathname.endsWith('/') || pathname.endsWith('.html');
}

/**
 * A tab that loads one page after another and records, for the page being loaded, every console
 * error, page error, failed request and HTTP error.
 */
async function openTab(context: BrowserContext) {
  const page = await context.newPage();
  let problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  return async (site: Site, url: string): Promise<Visit> => {
    const mine: string[] = (problems = []);
    let status: number | null = null;
    let facts: PageFacts = { links: [], ids: [], charts: [] };
    try {
      const response = await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT });
      status = response?.status() ?? null;
      if (status !== 200) mine.push(`status ${status}`);
      facts = await page.evaluate<PageFacts>(PAGE_FACTS);
    } catch (error) {
      mine.push(`did not load: ${(error as Error).message.split('\n')[0]}`);
    }
    const rel = new URL(url).pathname.slice(site.prefix.length);
    return { url, kind: kindOf(rel), status, problems: mine, ...facts };
  };
}

/** Breadth-first from the home page through every same-origin `<a href>`. */
async function crawlSite(browser: Browser, site: Site): Promise<Crawl> {
  const context = await browser.newContext({ viewport: DESKTOP });
  context.setDefaultTimeout(PAGE_TIMEOUT);
  const origin = new URL(site.url).origin;
  const visits = new Map<string, Visit>();
  const linkProblems: string[] = [];
  const downloads = new Map<string, string>();
  const fragments: { from: string; href: string; page: string; id: string }[] = [];
  const seen = new Set([site.url]);
  let frontier = [site.url];
  try {
    const tabs = await Promise.all(Array.from({ length: CONCURRENCY }, () => openTab(context)));
    while (frontier.length > 0) {
      // Each tab takes the next page when it is done with one.
      const queue = [...frontier];
      const batch: Visit[] = [];
      await Promise.all(
        tabs.map(async (visit) => {
          for (let url = queue.shift(); url !== undefined; url = queue.shift()) batch.push(await visit(site, url));
        }),
      );
      frontier = [];
      for (const page of batch) {
        visits.set(page.url, page);
        for (const link of page.links) {
          const target = new URL(link.resolved);
          if (target.origin !== origin) continue;
          if (!target.pathname.startsWith(site.prefix)) {
            linkProblems.push(`${page.url}: link "${link.href}" leaves the prefix ${site.prefix}`);
            continue;
          }
          const fragment = target.hash.slice(1);
          target.hash = '';
          if (!isPage(target.pathname)) {
            if (!downloads.has(target.href)) downloads.set(target.href, page.url);
            continue;
          }
          if (fragment !== '') fragments.push({ from: page.url, href: link.href, page: target.href, id: decodeURIComponent(fragment) });
          if (!seen.has(target.href)) {
            seen.add(target.href);
            frontier.push(target.href);
          }
        }
      }
    }
  } finally {
    await context.close();
  }

  const resources = new Map<string, number | string>();
  await mapLimit([...downloads], CONCURRENCY, async ([url, from]) => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(PAGE_TIMEOUT) });
      const body = await response.arrayBuffer();
      resources.set(url, response.status);
      if (response.status !== 200) linkProblems.push(`${from}: link to ${url} answers ${response.status}`);
      else if (body.byteLength === 0) linkProblems.push(`${from}: link to ${url} is an empty file`);
    } catch (error) {
      resources.set(url, (error as Error).message);
      linkProblems.push(`${from}: link to ${url} failed: ${(error as Error).message}`);
    }
  });
  for (const fragment of fragments) {
    const target = visits.get(fragment.page);
    if (target && target.status === 200 && !target.ids.includes(fragment.id)) linkProblems.push(`${fragment.from}: link "${fragment.href}" points to no element with id "${fragment.id}"`);
  }
  return { visits, linkProblems, resources };
}

/** A page's tokens-per-session ratio and 95% interval, as its results table shows them. */
const RESULTS_ROW = `(() => {
  const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
  for (const table of document.querySelectorAll('table')) {
    const heads = table.tHead ? [...table.tHead.rows[0].cells].map(text) : [];
    const ratio = heads.findIndex((head) => head.startsWith('Ratio'));
    const interval = heads.findIndex((head) => head.includes('95% interval'));
    if (ratio < 0 || interval < 0) continue;
    for (const row of table.tBodies[0].rows) {
      if (text(row.cells[0]) === 'Tokens per session') return { ratio: text(row.cells[ratio]), interval: text(row.cells[interval]) };
    }
  }
  return null;
})()`;

/** The sort keys of column `column` of the first sortable table, as enhance.js reads them. */
function columnKeys(column: number): string {
  return `[...document.querySelector('table.sortable').tBodies[0].rows].map((row) => { const cell = row.cells[${column}]; return cell.dataset.sort ?? cell.textContent.trim(); })`;
}

type Key = number | string;
function keyOf(raw: string): Key {
  const number = Number(raw);
  return raw !== '' && Number.isFinite(number) ? number : raw.toLowerCase();
}
/** Descending as the page sorts: numbers by value, text by code units, text before numbers. */
function isDescending(raw: readonly string[]): boolean {
  const keys = raw.map(keyOf);
  return keys.every((key, i) => {
    if (i === 0) return true;
    const before = keys[i - 1]!;
    if (typeof before !== typeof key) return typeof before === 'string';
    return before >= key;
  });
}

describe.skipIf(!hasChromium)(`the demo site in Chromium${hasChromium ? '' : ` (skipped: no Chromium at ${CHROMIUM_PATH}; install it with apt-get install chromium or set CHROMIUM_PATH)`}`, () => {
  let plantedEffects: PlantedEffect[] = [];
  const sites = new Map<Prefix, Site>();
  const crawls = new Map<Prefix, Promise<Crawl>>();
  let browser: Browser | undefined;
  let tempRoot = '';

  const site = (prefix: Prefix) => sites.get(prefix)!;
  const crawl = (prefix: Prefix) => {
    let result = crawls.get(prefix);
    if (!result) crawls.set(prefix, (result = crawlSite(browser!, site(prefix))));
    return result;
  };
  /** The first page of a kind the crawl of `/` reached (by URL, so runs pick the same one). */
  const firstOfKind = async (kind: Kind) => {
    const urls = [...(await crawl('/')).visits.values()].filter((page) => page.kind === kind && page.status === 200).map((page) => page.url).sort();
    if (urls.length === 0) throw new Error(`the crawl reached no ${kind} page`);
    return urls[0]!;
  };
  const withPage = async <T>(options: { viewport?: { width: number; height: number }; javaScriptEnabled?: boolean }, fn: (page: Page) => Promise<T>): Promise<T> => {
    const context = await browser!.newContext({ viewport: options.viewport ?? DESKTOP, javaScriptEnabled: options.javaScriptEnabled ?? true });
    context.setDefaultTimeout(PAGE_TIMEOUT);
    try {
      return await fn(await context.newPage());
    } finally {
      await context.close();
    }
  };
  const open = async (page: Page, url: string) => {
    const response = await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT });
    expect(response?.status(), url).toBe(200);
  };

  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tokenledger-site-'));
    const team = generateDemoTeam({ now: DEMO_NOW });
    plantedEffects = team.plantedEffects;
    const partial = buildDemoPartial(team, { timezone: 'UTC', builtBy: 'test' });
    const { experiments } = judgeExperiments(partial, { strategyWindowDays: team.windowDays, minSessions: 20 });
    for (const prefix of PREFIXES) {
      const dir = path.join(tempRoot, prefix === '/' ? 'root' : 'prefixed');
      await buildSite(partial, experiments, {
        outDir: dir,
        templatesDir: path.join(REPO, 'site'),
        title: 'tokenledger demo team',
        pathPrefix: prefix,
        timezone: 'UTC',
        developers: 'pseudonymous',
        minGroupSize: 3,
        now: DEMO_NOW,
      });
      const { server, url } = await serveSite({ root: dir, pathPrefix: prefix, port: 0 });
      // The server listens on 127.0.0.1; name it so, whatever `localhost` resolves to here.
      sites.set(prefix, { prefix, dir, server, url: url.replace('//localhost:', '//127.0.0.1:') });
    }
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await Promise.allSettled([...crawls.values()]);
    await browser?.close();
    for (const { server } of sites.values()) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
  }, 60_000);

  describe.each(PREFIXES)('crawled from the home page with path prefix %s', (prefix) => {
    it('loads every page with 200 and no console error, page error, failed request or HTTP error', async () => {
      const { visits } = await crawl(prefix);
      expect(visits.size).toBeGreaterThan(20);
      const problems = [...visits.values()].flatMap((page) => page.problems.map((problem) => `${page.url}: ${problem}`));
      expect(problems).toEqual([]);
      for (const page of visits.values()) expect(page.status, page.url).toBe(200);
    }, 180_000);

    it('resolves every internal link and fragment, downloads included, without leaving the prefix', async () => {
      const { linkProblems, resources, visits } = await crawl(prefix);
      expect(linkProblems).toEqual([]);
      const downloads = [...resources.keys()].map((url) => new URL(url).pathname.slice(prefix.length)).sort();
      expect(downloads).toEqual(expect.arrayContaining(['data/daily.csv', 'data/daily.json']));
      for (const [url, status] of resources) expect(status, url).toBe(200);
      // Every page reached is under the prefix (the crawl only follows such links; this guards it).
      for (const url of visits.keys()) expect(new URL(url).pathname.startsWith(prefix), url).toBe(true);
    }, 180_000);

    it('reaches every kind of page', async () => {
      const { visits } = await crawl(prefix);
      const reached = new Set([...visits.values()].filter((page) => page.status === 200).map((page) => page.kind));
      expect(KINDS.filter((kind) => !reached.has(kind))).toEqual([]);
    }, 180_000);

    it('gives every chart rendered SVG marks, a title, a description and a table with rows', async () => {
      const { visits } = await crawl(prefix);
      const charts = [...visits.values()].flatMap((page) => page.charts.map((chart) => ({ page: page.url, ...chart })));
      expect(charts.length).toBeGreaterThan(50);
      const bad = charts
        // Drawn at no less than 80% of the size Vega laid it out at on a 1280 px screen, so its
        // 11 px labels stay readable (an SVG wider than the column shrinks, text and all).
        .filter((chart) => chart.svgs === 0 || chart.width < 100 || chart.height < 50 || chart.width < 0.8 * chart.drawnWidth || chart.marks === 0 || chart.title === '' || chart.description === '' || chart.tableRows === 0)
        .map((chart) => `${chart.page}#${chart.id}: ${chart.svgs} svg of ${chart.width}×${chart.height} px (drawn ${chart.drawnWidth} wide), ${chart.marks} marks, title "${chart.title}", description "${chart.description.slice(0, 40)}", ${chart.tableRows} table rows`);
      expect(bad).toEqual([]);
      // The pages that must have charts do.
      for (const kind of ['overview', 'repository', 'developers', 'models', 'phases', 'experiment', 'session'] as const) {
        const pages = [...visits.values()].filter((page) => page.kind === kind);
        for (const page of pages) expect(page.charts.length, `charts on ${page.url}`).toBeGreaterThan(0);
      }
    }, 180_000);
  });

  it('shows the charts of the overview and of an experiment without JavaScript', async () => {
    const pages = [site('/').url, await firstOfKind('experiment')];
    await withPage({ javaScriptEnabled: false }, async (page) => {
      for (const url of pages) {
        await open(page, url);
        const { charts } = await page.evaluate<PageFacts>(PAGE_FACTS);
        expect(charts.length, url).toBeGreaterThan(0);
        for (const chart of charts) {
          expect(chart.marks, `${url}#${chart.id}`).toBeGreaterThan(0);
          expect(chart.width * chart.height, `${url}#${chart.id} is laid out`).toBeGreaterThan(0);
        }
        // enhance.js did not run: no sort buttons, no theme switch.
        expect(await page.locator('.theme-toggle').count()).toBe(0);
      }
    });
  }, 60_000);

  it('saves full-page screenshots of the main pages, and of the overview at phone width', async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    const shots: { name: string; url: string; viewport: typeof DESKTOP }[] = [];
    for (const kind of KINDS) shots.push({ name: kind, url: kind === 'overview' ? site('/').url : await firstOfKind(kind), viewport: DESKTOP });
    shots.push({ name: 'overview-phone', url: site('/').url, viewport: PHONE });
    const sizes: Record<string, { width: number; height: number }> = {};
    // One tab, one page after another: Chromium captures a tab at a time anyway.
    await withPage({}, async (page) => {
      for (const shot of shots) {
        await page.setViewportSize(shot.viewport);
        await open(page, shot.url);
        const png = await page.screenshot({ fullPage: true, timeout: PAGE_TIMEOUT });
        await writeFile(path.join(SCREENSHOTS, `${shot.name}.png`), png);
        sizes[shot.name] = pngSize(png);
      }
    });
    // Checked once all are saved, so a failure still leaves every screenshot to look at.
    for (const shot of shots) {
      expect(sizes[shot.name]?.width, shot.name).toBe(shot.viewport.width);
      expect(sizes[shot.name]?.height, shot.name).toBeGreaterThan(300);
    }
  }, 120_000);

  it('shows the planted effects on the experiment pages: ratio near the planted factor, factor inside the 95% interval', async () => {
    expect(plantedEffects.length).toBeGreaterThan(0);
    const { visits } = await crawl('/');
    await withPage({}, async (page) => {
      // Soft assertions: one run reports every experiment that is off, not only the first.
      for (const effect of plantedEffects) {
        const url = `${site('/').url}strategies/${effect.slug}/`;
        expect.soft(visits.get(url)?.kind, `the crawl reached ${url}`).toBe('experiment');
        await open(page, url);
        const shown = await page.evaluate<{ ratio: string; interval: string } | null>(RESULTS_ROW);
        const ratio = /^(\d+(?:\.\d+)?)\b/.exec(shown?.ratio ?? '');
        const interval = /^(\d+(?:\.\d+)?) to (\d+(?:\.\d+)?)$/.exec(shown?.interval ?? '');
        const context = `${effect.slug}: planted ${effect.factor}, shown ratio "${shown?.ratio}", interval "${shown?.interval}"`;
        expect.soft(ratio && interval, `${context}: a "Tokens per session" row with a ratio and a 95% interval`).toBeTruthy();
        if (!ratio || !interval) continue;
        expect.soft(Number(interval[1]), context).toBeLessThanOrEqual(effect.factor);
        expect.soft(Number(interval[2]), context).toBeGreaterThanOrEqual(effect.factor);
        expect.soft(Math.abs(Number(ratio[1]) - effect.factor), context).toBeLessThanOrEqual(0.05);
      }
    });
  }, 60_000);

  it('focuses "Skip to content" on the first Tab, and main after Enter', async () => {
    await withPage({}, async (page) => {
      await open(page, site('/').url);
      await page.keyboard.press('Tab');
      const first = await page.evaluate<{ text: string; href: string | null }>(`({ text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href') })`);
      expect(first).toEqual({ text: 'Skip to content', href: '#main' });
      // The link is shown while focused (it sits off-screen otherwise).
      const box = await page.locator('a.skip').boundingBox();
      expect(box && box.x >= 0 && box.y >= 0 && box.x < DESKTOP.width).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate<string>(`document.activeElement.tagName + '#' + document.activeElement.id`), { timeout: 5_000 }).toBe('MAIN#main');
    });
  }, 60_000);

  it.each(['repositories/', 'sessions/'])('sorts the sortable table on %s from the keyboard', async (rel) => {
    await withPage({}, async (page) => {
      await open(page, `${site('/').url}${rel}`);
      const headers = page.locator('table.sortable').first().locator('thead th');
      // The first column, then the first column whose cells carry a data-sort value.
      const sortedColumn = await page.evaluate<number>(`[...document.querySelector('table.sortable').tBodies[0].rows[0].cells].findIndex((cell) => cell.hasAttribute('data-sort'))`);
      expect(sortedColumn).toBeGreaterThan(0);
      for (const column of [0, sortedColumn]) {
        const before = await page.evaluate<string[]>(columnKeys(column));
        expect(before.length).toBeGreaterThan(1);
        const button = headers.nth(column).locator('button');
        // Tab onto the button from the element before it (the scrollable table region, or the
        // previous heading's button), as a keyboard user arrives there.
        await (column === 0 ? page.locator('.table-wrap').first() : headers.nth(column - 1).locator('button')).focus();
        await page.keyboard.press('Tab');
        // Whoever sorts by keyboard sees where focus is.
        const focusRing = await page.evaluate<{ text: string; outline: string }>(`({ text: document.activeElement.textContent, outline: getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth })`);
        expect(focusRing.text, 'Tab reaches the heading button').toBe(await button.textContent());
        expect(focusRing.outline, 'focus ring of the sort button').not.toMatch(/^none|^\S+ 0px$/);
        await page.keyboard.press('Enter');
        await expect.poll(() => headers.nth(column).getAttribute('aria-sort'), { timeout: 5_000 }).toBe('descending');
        const after = await page.evaluate<string[]>(columnKeys(column));
        expect(after.toSorted(), 'the same rows').toEqual(before.toSorted());
        expect(isDescending(after), `column ${column} descending: ${after.slice(0, 5).join(', ')}…`).toBe(true);
        if (!isDescending(before)) expect(after).not.toEqual(before);
        if (column === sortedColumn) {
          expect(isDescending(before), 'the data-sort column does not start out descending').toBe(false);
          const numbers = after.map(Number);
          expect(numbers.filter(Number.isFinite).length).toBeGreaterThan(1);
        }
      }
    });
  }, 60_000);

  it('does not scroll sideways on a 390 px wide phone: the overview, and every other main page', async () => {
    const urls = [site('/').url];
    for (const kind of KINDS) if (kind !== 'overview') urls.push(await firstOfKind(kind));
    await withPage({ viewport: PHONE }, async (page) => {
      for (const url of urls) {
        await open(page, url);
        // Elements sticking out to the right (tables scroll inside their own region, so not those).
        const layout = await page.evaluate<{ scrollWidth: number; overflowing: string[] }>(`(() => {
          const overflowing = [...document.body.querySelectorAll('*')]
            .filter((el) => el.getBoundingClientRect().right > ${PHONE.width} + 1 && !el.closest('.table-wrap'))
            .slice(0, 10)
            .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '') + ' right=' + Math.round(el.getBoundingClientRect().right));
          return { scrollWidth: document.scrollingElement.scrollWidth, overflowing };
        })()`);
        expect.soft(layout.scrollWidth, `${url} scrolls sideways; overflowing: ${layout.overflowing.join('; ')}`).toBeLessThanOrEqual(PHONE.width + 1);
      }
    });
  }, 60_000);
});
