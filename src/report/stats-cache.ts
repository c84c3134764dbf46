/** `doctor`'s stats-cache section: the verdict, then the days that differ and why they may. Pure. */
import type { StatsCacheCheck } from '../sources/claude-code/stats-cache.js';
import type { GapKind } from '../sources/claude-code/stats-reconcile.js';

/** Enough gap rows to see the pattern; `--json` has them all. */
const MAX_ROWS = 10;

const integer = new Intl.NumberFormat('en-US');

const LABELS: Record<Exclude<GapKind, 'match'>, { label: string; why: string }> = {
  'transcripts-gone': { label: 'no transcripts', why: 'the transcripts are gone (Claude Code deletes them after cleanupPeriodDays, 30 by default) or were never on this machine; only the cache remembers these days' },
  'cache-higher': { label: 'cache higher', why: 'the cache counts every streamed line of a response (anthropics/claude-code#91775), or some of the day\'s transcripts are gone' },
  'cache-lower': { label: 'cache lower', why: 'the cache missed responses the transcripts hold (Claude Code before 2.1.89 left subagents out)' },
  'not-yet-cached': { label: 'not yet cached', why: 'the day is after the cache\'s lastComputedDate; Claude Code recomputes it later' },
};

function describeCheck(check: StatsCacheCheck): string[] {
  const result = check.reconciliation;
  // The error names the file already, one problem per line.
  if (!result) return (check.error ?? `${check.file}: not compared`).split('\n').map((line) => `  ${line}`);
  const scope = `input+output tokens per day in ${check.timeZone}${result.lastComputedDate ? `, computed through ${result.lastComputedDate}` : ''}`;
  const out = [`  ${check.file} (${scope})`];
  if (result.verdict === 'consistent') {
    out.push(`  matches the transcripts on all ${result.rows.length} day/model totals: the numbers agree.`);
    return out;
  }
  const gaps = result.rows.filter((row) => row.kind !== 'match');
  const days = new Set(gaps.map((row) => row.day)).size;
  out.push(
    `  differs from the transcripts on ${days} day(s), ${gaps.length} of ${result.rows.length} day/model totals: ` +
      `cache ${integer.format(result.totals.cache)}, transcripts ${integer.format(result.totals.transcripts)} tokens (tokenledger counts the transcripts).`,
  );
  const shown = gaps.slice(0, MAX_ROWS);
  const width = (values: string[]) => Math.max(...values.map((value) => value.length));
  const modelWidth = width(shown.map((row) => row.model));
  const cacheWidth = width(shown.map((row) => integer.format(row.cache)));
  const transcriptWidth = width(shown.map((row) => integer.format(row.transcripts)));
  for (const row of shown) {
    const label = LABELS[row.kind as Exclude<GapKind, 'match'>].label;
    out.push(`    ${row.day}  ${row.model.padEnd(modelWidth)}  cache ${integer.format(row.cache).padStart(cacheWidth)}  transcripts ${integer.format(row.transcripts).padStart(transcriptWidth)}  ${label}`);
  }
  if (gaps.length > MAX_ROWS) out.push(`    … and ${gaps.length - MAX_ROWS} more (doctor --json lists them all)`);
  for (const kind of Object.keys(LABELS) as Exclude<GapKind, 'match'>[]) {
    if (result.counts[kind] > 0) out.push(`  ${LABELS[kind].label}: ${LABELS[kind].why}.`);
  }
  return out;
}

/** The section's lines, heading included; nothing to say is said in one line. */
export function describeStatsCacheChecks(checks: readonly StatsCacheCheck[]): string[] {
  const out = ['Claude Code stats cache (/usage) against the transcripts'];
  if (checks.length === 0) out.push('  no stats-cache.json in the Claude Code config folders: nothing to compare');
  for (const check of checks) out.push(...describeCheck(check));
  return out;
}
