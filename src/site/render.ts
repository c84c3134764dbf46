/**
 * Vega-Lite specs -> SVG at build time, so pages show their charts without JavaScript. Vega runs
 * headless (`renderer: 'none'`, no canvas): text widths are estimated, which only nudges labels.
 *
 * Most charts repeat a shape with other data (every repository's trend, every session's minutes),
 * so inline data is lifted out into named sources and the compiled Vega runtime is cached per
 * shape: compiling and parsing is about half the cost of a chart.
 */
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
    const { shape, sources } = liftData({ ...chart.spec, description: chart.description });
    const key = JSON.stringify(shape);
    let runtime = this.runtimes.get(key);
    try {
      if (runtime === undefined) {
        runtime = this.vega.parse(this.vegaLite.compile(shape as Parameters<VegaLite['compile']>[0]).spec);
        this.runtimes.set(key, runtime);
      }
      const view = new this.vega.View(runtime, { renderer: 'none' });
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

/** Renders every chart in place (one after another: Vega is CPU-bound and single-threaded). */
export async function renderCharts(charts: Iterable<Chart>): Promise<number> {
  const renderer = await ChartRenderer.create();
  let rendered = 0;
  for (const chart of charts) {
    chart.svg = await renderer.svg(chart);
    rendered++;
  }
  return rendered;
}
