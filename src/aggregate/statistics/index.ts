/**
 * Strategy statistics, pure: no I/O, seeded randomness only. `compareStrategy` is what the Action
 * calls; the rest is exported for the site and for tests. `synthetic.ts` (planted-effect sessions)
 * is deliberately not re-exported: it exists for tests and simulations.
 */
export { type BootstrapOptions, bootstrapRatioOfGeometricMeans, type RatioEstimate, type Sample } from './bootstrap.js';
export { compareStrategy, type CompareStrategyInput, type RatioInterval, type StrategyComparison } from './compare.js';
export { geometricMean, logPositive, median, quantile } from './descriptive.js';
export { type DidCells, differenceInDifferences } from './did.js';
export { mannWhitney, type MannWhitneyResult } from './mann-whitney.js';
