/**
 * Partials of shards -> one partial (pure). Associative and commutative: the sessions are
 * pooled, the newest capture of each id kept (the same rule as `buildPartial`) and the daily
 * rows derived again, so any grouping of shards gives what one build of all summaries gives.
 */
import { PartialBuilder } from './build.js';
import { PartialError } from './errors.js';
import { PARTIAL_SCHEMA, type AggregatePartial } from './partial-schema.js';

const VERSION_ORDER = new Intl.Collator('en', { numeric: true });

export function mergePartials(partials: readonly AggregatePartial[]): AggregatePartial {
  const first = partials[0];
  if (!first) throw new PartialError('no partials to merge: a merge needs at least one partial');
  partials.forEach((partial, i) => {
    // Partials usually come from JSON files, where the type promises nothing.
    if (partial.schema !== PARTIAL_SCHEMA) throw new PartialError(`partial ${i + 1} has schema ${String(partial.schema)}, this tokenledger reads ${PARTIAL_SCHEMA}: build both with the same major version`);
    if (partial.timezone !== first.timezone) {
      throw new PartialError(`partial ${i + 1} uses time zone ${partial.timezone} but partial 1 uses ${first.timezone}: days differ between zones, so build every shard with the same timezone`);
    }
  });
  let builtBy = first.builtBy;
  for (const partial of partials) if (compareVersions(partial.builtBy, builtBy) > 0) builtBy = partial.builtBy;
  const builder = new PartialBuilder({ timezone: first.timezone, builtBy });
  for (const partial of partials) builder.addPartial(partial);
  return builder.finish();
}

/** Numeric order (0.10.0 after 0.9.0), then code points, so the pick does not depend on input order. */
function compareVersions(a: string, b: string): number {
  return VERSION_ORDER.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
