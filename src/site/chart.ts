/**
 * A chart on the site: a Vega-Lite spec (rendered to SVG at build time), a title and a
 * description (also the SVG's accessible name), and the same numbers as a table, so every chart
 * reads without sight and without JavaScript.
 */
import type { TopLevelSpec } from 'vega-lite';

export interface TableColumn {
  label: string;
  /** Right-aligned, and sorted as numbers by the table script. */
  numeric?: boolean;
}

export interface DataTable {
  columns: TableColumn[];
  /** Display text per cell; numeric columns carry the raw number in `sortKeys`. */
  rows: string[][];
  /** Per row, per column: the number a numeric cell sorts by. */
  sortKeys?: (number | null)[][];
}

export interface Chart {
  /** Unique within its page: the figure's id. */
  id: string;
  title: string;
  description: string;
  spec: TopLevelSpec;
  table: DataTable;
  /** Filled by `renderCharts`. */
  svg?: string;
}

/** Colours per token type, the same on every chart (colour-blind-safe Tableau order). */
export const TOKEN_TYPE_COLORS = {
  input: '#4c78a8',
  output: '#f58518',
  cacheWrite5m: '#e45756',
  cacheWrite1h: '#b279a2',
  cacheRead: '#54a24b',
} as const;

export const TOKEN_TYPE_LABELS = {
  input: 'Input',
  output: 'Output',
  cacheWrite5m: 'Cache write 5m',
  cacheWrite1h: 'Cache write 1h',
  cacheRead: 'Cache read',
} as const;

/**
 * Shared look: transparent background and colours the stylesheet overrides for the dark theme,
 * a responsive width (the SVG scales with its viewBox), and no actions menu.
 */
export function baseSpec(width = 640, height = 220): { $schema: string; width: number; height: number; background: string; padding: number; config: NonNullable<TopLevelSpec['config']> } {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    background: null as unknown as string,
    padding: 4,
    config: {
      font: 'system-ui, sans-serif',
      axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#ddd', domainColor: '#888', tickColor: '#888' },
      legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom', direction: 'horizontal', columns: 5, labelLimit: 160 },
      view: { stroke: null },
      title: { anchor: 'start' },
    },
  };
}
