/**
 * Difference-in-differences on the log scale: the treated repositories' after/before ratio of
 * geometric means divided by the control repositories' ratio over the same windows. A trend that
 * hits both groups alike (a model release, a new client version) multiplies both ratios and
 * cancels; what remains is the change the strategy's repositories saw beyond it. This assumes
 * parallel trends, which observational data cannot prove: the page says so.
 *
 * The interval resamples clusters over all four cells at once (see bootstrap.ts), so a developer
 * who works in both a treated and a control repository is drawn as one unit.
 */
import { type BootstrapOptions, bootstrapLogContrast, type RatioEstimate, type Sample } from './bootstrap.js';

export interface DidCells {
  treatedBefore: readonly Sample[];
  treatedAfter: readonly Sample[];
  controlBefore: readonly Sample[];
  controlAfter: readonly Sample[];
}

/**
 * (treated after/before) ÷ (control after/before), each a ratio of geometric means; e.g. 0.7 when
 * the treated repositories fell 30% more than the controls moved. `clusters` and `dropped` list
 * the cells in the order treatedBefore, treatedAfter, controlBefore, controlAfter.
 */
export function differenceInDifferences(cells: DidCells, options: BootstrapOptions): RatioEstimate {
  return bootstrapLogContrast(
    [cells.treatedBefore, cells.treatedAfter, cells.controlBefore, cells.controlAfter],
    ['treated before', 'treated after', 'control before', 'control after'],
    ([tb, ta, cb, ca]) => (ta as number) - (tb as number) - ((ca as number) - (cb as number)),
    options,
  );
}
