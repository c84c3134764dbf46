/**
 * Summaries -> mergeable partials -> weekly deltas (pure; git and files stay with the caller).
 * Not exported: the steps inside (`assemblePartial`, `deriveDailyRows`, `toSessionRow`), which
 * are for these modules only. Strategy statistics live in `statistics/`.
 */
export { buildPartial, PartialBuilder, type BuildOptions, type PartialInput, type SourceFeed } from './build.js';
export { PartialError } from './errors.js';
export { mergePartials } from './merge.js';
export {
  dailyRowSchema,
  PARTIAL_SCHEMA,
  partialSchema,
  partialSourceSchema,
  sessionRowSchema,
  type AggregatePartial,
  type DailyRow,
  type PartialSource,
  type SessionRow,
} from './partial-schema.js';
export { compareCaptures } from './session-row.js';
export { weeklyDeltas, type Delta, type Direction, type MetricDeltas, type ScopeDeltas, type WeeklyDeltas, type WeeklyOptions, type WindowMetrics } from './weekly.js';
