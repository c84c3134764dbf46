import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { describe, expect, it, vi } from 'vitest';
import type { Chart } from './chart.js';
import { barChart } from './charts/bars.js';
import { logHistogramChart } from './charts/distribution.js';
import { sparkline, tokensByTypeChart } from './charts/trend.js';
import { dayRange } from './context.js';
import { formatTokens } from './format.js';
import { liftData, ChartRenderer } from './render.js';

const days = dayRange('2026-06-30', 14);

function bars(id: string, labels: string[], description = `Bars of ${labels.join(', ')}.`): Chart {
  return barChart({ id, title: 'Bars', description, itemLabel: 'Item', valueLabel: 'Tokens', format: formatTokens, items: labels.map((label, i) => ({ label, value: (i + 1) * 1000 })) });
}

/** A renderer whose Vega-Lite compiler counts its calls: one per compiled runtime. */
function countingRenderer() {
  const compile = vi.fn(vegaLite.compile);
  return { renderer: new ChartRenderer(vega, { ...vegaLite, compile }), compile };
}

describe('liftData', () => {
  it('replaces top-level inline values with a named source and returns the values', () => {
    const chart = bars('b', ['a', 'b']);
    const inline = (chart.spec as { data: { values: unknown[] } }).data.values;
    const { shape, sources } = liftData(chart.spec);
    expect((shape as { data: unknown }).data).toEqual({ name: 'd0' });
    expect([...sources.keys()]).toEqual(['d0']);
    expect(sources.get('d0')).toBe(inline);
  });

  it('lifts the values of every layer, each into its own source', () => {
    const chart = tokensByTypeChart('t', 'Tokens', days, new Map([[days[0]!, { input: 5, output: 1, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 9 }]]));
    const { shape, sources } = liftData(chart.spec);
    const layers = (shape as { layer: { data: unknown }[] }).layer;
    expect(layers.map((layer) => layer.data)).toEqual([{ name: 'd0' }, { name: 'd1' }]);
    expect(sources.get('d0')).toHaveLength(days.length * 5);
    expect(sources.get('d1')).toHaveLength(days.length);
  });

  it('lifts the values of a facet’s parent and keeps the inner spec', () => {
    const chart = logHistogramChart({ id: 'h', title: 'H', description: 'H', unitLabel: 'Tokens', edges: [1, 10, 100], series: [{ label: 'Before', panel: 'A', counts: [1, 2] }, { label: 'Before', panel: 'B', counts: [3, 4] }] });
    const { shape, sources } = liftData(chart.spec);
    expect(shape).toMatchObject({ data: { name: 'd0' }, facet: { row: { field: 'panel' } }, spec: { mark: { type: 'rect' } } });
    expect(sources.get('d0')).toHaveLength(4);
  });

  it('leaves no inline values behind, keeps other data as it is, and does not change its input', () => {
    const spec = { data: { values: [{ x: 1 }] }, layer: [{ data: { name: 'kept' } }, { data: { url: 'data.csv' } }, { data: { values: [{ y: 2 }] } }] };
    const copy = structuredClone(spec);
    const { shape, sources } = liftData(spec);
    expect(JSON.stringify(shape)).not.toContain('"values"');
    expect(shape).toEqual({ data: { name: 'd0' }, layer: [{ data: { name: 'kept' } }, { data: { url: 'data.csv' } }, { data: { name: 'd1' } }] });
    expect([...sources.values()]).toEqual([[{ x: 1 }], [{ y: 2 }]]);
    expect(spec).toEqual(copy);
  });
});

describe('ChartRenderer', () => {
  it('compiles one runtime for charts of the same shape and still draws each chart’s own data', async () => {
    const { renderer, compile } = countingRenderer();
    const first = await renderer.svg(bars('first', ['alpha-repository', 'beta-repository'], 'Top repositories.'));
    const second = await renderer.svg(bars('second', ['gamma-repository', 'delta-repository'], 'Top repositories.'));
    expect(compile).toHaveBeenCalledTimes(1);
    expect(first).toContain('alpha-repository');
    expect(first).not.toContain('gamma-repository');
    expect(second).toContain('gamma-repository');
    expect(second).not.toContain('alpha-repository');
  });

  it('shares the runtime of repeated charts whose descriptions differ (every repository’s sparkline)', async () => {
    const { renderer, compile } = countingRenderer();
    const web = await renderer.svg(sparkline('spark', 'acme/web', days, days.map((_, i) => i * 100)));
    const api = await renderer.svg(sparkline('spark', 'acme/api', days, days.map((_, i) => (14 - i) * 100)));
    expect(compile).toHaveBeenCalledTimes(1);
    expect(web).not.toBe(api);
  });

  it('compiles again for another shape', async () => {
    const { renderer, compile } = countingRenderer();
    await renderer.svg(bars('two', ['a', 'b']));
    await renderer.svg(bars('three', ['a', 'b', 'c']));
    expect(compile).toHaveBeenCalledTimes(2);
  });

  it('returns a scalable SVG: a viewBox and no fixed width or height', async () => {
    const { renderer } = countingRenderer();
    const svg = await renderer.svg(bars('b', ['a']));
    expect(svg).toMatch(/^<svg[^>]* viewBox="0 0 [\d.]+ [\d.]+"/);
    expect(svg.slice(0, svg.indexOf('>'))).not.toMatch(/ (width|height)="/);
  });

  it('names the chart in an error', async () => {
    const { renderer } = countingRenderer();
    const broken = { ...bars('broken', ['a']), spec: { mark: 'no-such-mark', data: { values: [] } } as unknown as Chart['spec'] };
    await expect(renderer.svg(broken)).rejects.toThrow(/^chart broken: /);
  });
});
