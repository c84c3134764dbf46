/**
 * Vega-Lite specs -> SVG at build time, so pages show their charts without JavaScript. Vega runs
 * headless (`renderer: 'none'`, no canvas): text widths are estimated, which only nudges labels.
 *
 * Most charts repeat a shape with other data (every repository's trend, every session's minutes),
 * so inline data is lifted out into named sources and the compiled Vega runtime is cached per
 * shape: compiling and parsing is about half the cost of a chart.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Chart } from './chart.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
type Runtime = ReturnType<Vega['parse']>;

let engines: Promise<[Vega, VegaLite]> | undefined;

/** vega and vega-lite are large: load them once, and only when a site is built. */
function loadEngines(): Promise<[Vega, VegaLite]> {
  engines ??= Promise.all([import('vega'), import('vega-lite')]);
  return engines;
}

/** A spec with each inline `data: { values }` replaced by `data: { name: 'd<n>' }`, and the values. */
export function liftData(spec: unknown): { shape: unknown; sources: Map<string, unknown[]> } {
  const sources = new Map<string, unknown[]>();
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'data' && value !== null && typeof value === 'object' && Array.isArray((value as { values?: unknown }).values)) {
        const name = `d${sources.size}`;
        sources.set(name, (value as { values: unknown[] }).values);
        out[key] = { name };
      } else out[key] = walk(value);
    }
    return out;
  };
  return { shape: walk(spec), sources };
}

export class ChartRenderer {
  private readonly runtimes = new Map<string, Runtime>();
  constructor(private readonly vega: Vega, private readonly vegaLite: VegaLite) {}

  static async create(): Promise<ChartRenderer> {
    const [vega, vegaLite] = await loadEngines();
    return new ChartRenderer(vega, vegaLite);
  }

  async svg(chart: Pick<Chart, 'id' | 'spec' | 'description'>): Promise<string> {
    // The description stays out of the shape: it differs per chart (every sparkline names its
    // repository) and only labels the view, so it is set on each view, not compiled in.
    const { shape, sources } = liftData(chart.spec);
    const key = JSON.stringify(shape);
    let runtime = this.runtimes.get(key);
    try {
      if (runtime === undefined) {
        runtime = this.vega.parse(this.vegaLite.compile(shape as Parameters<VegaLite['compile']>[0]).spec);
        this.runtimes.set(key, runtime);
      }
      const view = new this.vega.View(runtime, { renderer: 'none' }).description(chart.description);
      try {
        for (const [name, values] of sources) view.data(name, values);
        const svg = await view.toSVG();
        // A scalable SVG: the viewBox keeps the aspect ratio, the stylesheet sets the width.
        return svg.replace(/^<svg([^>]*?) width="[\d.]+" height="[\d.]+"/, '<svg$1');
      } finally {
        view.finalize();
      }
    } catch (error) {
      throw new Error(`chart ${chart.id}: ${(error as Error).message}`, { cause: error });
    }
  }
}

type ChartJob = Pick<Chart, 'id' | 'spec' | 'description'>;
const WORKER_ROLE = 'tokenledger-chart-renderer';
/** Below this many charts a worker's start-up (loading Vega, ~0.3 s) is not worth it. */
const CHARTS_PER_WORKER = 60;
const MAX_WORKERS = 4;

/**
 * Renders every chart in place. Vega is CPU-bound and allocates a lot, so charts go to worker
 * threads: several cores at once, and heaps of their own that stay small while the main thread
 * holds the whole aggregate (a large heap makes every collection slow). Without a worker script
 * (running from source, in tests) they are rendered here, one after another.
 */
export async function renderCharts(charts: Chart[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const url = workerUrl();
  const asked = Number.parseInt(env.TOKENLEDGER_THREADS ?? '', 10);
  const count = Math.min(asked > 0 ? asked : Math.min(availableParallelism(), MAX_WORKERS), Math.floor(charts.length / CHARTS_PER_WORKER));
  if (url === null || count < 2) {
    const renderer = await ChartRenderer.create();
    for (const chart of charts) chart.svg = await renderer.svg(chart);
    return charts.length;
  }
  // Round robin, so every worker gets its share of each chart shape (and compiles each once).
  const shares = Array.from({ length: count }, (_, w) => charts.map((chart, index) => ({ index, chart })).filter(({ index }) => index % count === w));
  await Promise.all(shares.map((share) => renderInWorker(url, share, charts)));
  return charts.length;
}

function renderInWorker(url: URL, share: { index: number; chart: Chart }[], charts: Chart[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const jobs = share.map(({ index, chart }) => ({ index, chart: { id: chart.id, spec: chart.spec, description: chart.description } }));
    const worker = new Worker(url, { workerData: { role: WORKER_ROLE, jobs } });
    worker.on('message', (message: { index: number; svg?: string; error?: string }) => {
      if (message.error !== undefined) reject(new Error(message.error));
      else charts[message.index]!.svg = message.svg;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chart worker exited with code ${code}`))));
  });
}

/**
 * The script a chart worker runs: the CLI build puts `site-render-worker.js` beside its chunks;
 * the Action's single-file bundle runs itself (its entry does nothing off the main thread).
 */
function workerUrl(): URL | null {
  if (process.env.TOKENLEDGER_BUNDLE === 'single-file') return new URL(import.meta.url);
  const beside = new URL('./site-render-worker.js', import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside : null;
}

/** A chart worker: renders its jobs, posting each SVG back as it is done. */
async function serveCharts(jobs: { index: number; chart: ChartJob }[]): Promise<void> {
  const renderer = await ChartRenderer.create();
  for (const { index, chart } of jobs) {
    try {
      parentPort!.postMessage({ index, svg: await renderer.svg(chart) });
    } catch (error) {
      parentPort!.postMessage({ index, error: (error as Error).message });
      return;
    }
  }
}

const role = isMainThread ? undefined : (workerData as { role?: string; jobs?: { index: number; chart: ChartJob }[] } | null);
if (role?.role === WORKER_ROLE) await serveCharts(role.jobs ?? []);
