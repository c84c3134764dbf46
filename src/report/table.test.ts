import { describe, expect, it } from 'vitest';
import { event } from '../../test/helpers/events.js';
import { emptyDiagnostics, type UsageEvent } from '../sources/events.js';
import { renderUsageTable } from './table.js';
import { buildUsageReport, type ReportKind, type ReportOptions, type UsageReport } from './usage-report.js';

const ANSI = /\u001b\[/;

function build(events: UsageEvent[], kind: ReportKind = 'daily', options: Partial<ReportOptions> = {}): UsageReport {
  const diagnostics = { ...emptyDiagnostics(), filesRead: 3, lines: 1234, responses: 2, duplicateLines: 5, malformedLines: 1, skippedLines: 7 };
  return buildUsageReport(events, diagnostics, { kind, timeZone: 'UTC', ...options });
}

/** The table part: header, rule, rows, rule, totals (everything before the blank line). */
function tableLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.slice(0, lines.indexOf(''));
}

// Two days. Day 1: claude-opus-4-6, 1,000,000 input ($5) + 1,000,000 cache read ($0.50).
// Day 2: an unpriced model with 250 output tokens.
const EVENTS = [
  event({ timestamp: '2026-05-04T10:00:00Z', tokens: { input: 1_000_000, cacheRead: 1_000_000 } }),
  event({ timestamp: '2026-05-05T10:00:00Z', model: 'mystery-model-9', tokens: { output: 250 } }),
];

describe('renderUsageTable', () => {
  const text = renderUsageTable(build(EVENTS), { color: false });
  const lines = tableLines(text);

  it('prints header, rule, one line per row, rule and a Total line', () => {
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^Date\s+Input\s+Output\s+Cache write 5m\s+Cache write 1h\s+Cache read\s+Total\s+Cache read %\s+Cost$/);
    expect(lines[1]).toMatch(/^[─ ]+$/);
    expect(lines[2]).toMatch(/^2026-05-04 /);
    expect(lines[3]).toMatch(/^2026-05-05 /);
    expect(lines[4]).toBe(lines[1]);
    expect(lines[5]).toMatch(/^Total /);
  });

  it('aligns every column: all table lines are equally wide and right-aligned numbers end together', () => {
    const width = lines[0]!.length;
    for (const line of lines) expect(line.length).toBe(width);
    // The "Total" column (7th) ends at the same place on every line: find it through the header.
    const end = lines[0]!.indexOf('Total') + 'Total'.length;
    // Day 1 total 2,000,000; day 2 250; overall 2,000,250.
    expect(lines[2]!.slice(0, end)).toMatch(/ 2,000,000$/);
    expect(lines[3]!.slice(0, end)).toMatch(/ 250$/);
    expect(lines[5]!.slice(0, end)).toMatch(/ 2,000,250$/);
  });

  it('formats tokens with thousands separators, the cache-read share as a percentage and cost in dollars', () => {
    // Day 1: 1,000,000 read of 2,000,000 input-side tokens = 50.0%; cost $5.50.
    expect(lines[2]).toMatch(/1,000,000 .* 50\.0% +\$5\.50$/);
    // Day 2 has no input side: 0.0%.
    expect(lines[3]).toMatch(/ 0\.0% +\$0\.00\*$/);
  });

  it('marks a cost that leaves out unpriced models with * and explains it below', () => {
    expect(lines[2]!.endsWith('$5.50')).toBe(true);
    expect(lines[3]!.endsWith('$0.00*')).toBe(true);
    expect(lines[5]!.endsWith('$5.50*')).toBe(true);
    expect(text).toContain('* Unpriced models (tokens counted, cost not included): mystery-model-9.');
  });

  it('prints no * and no note when every model is priced', () => {
    const priced = renderUsageTable(build([EVENTS[0]!]), { color: false });
    expect(priced).not.toContain('*');
    expect(priced).not.toContain('Unpriced');
  });

  it('says which time zone, range and price table it used, and what reading saw', () => {
    expect(text).toMatch(/^Times in UTC\. Prices: table \d{4}-\d{2}-\d{2}\.\d+\.$/m);
    expect(text).toContain('Read 3 files, 1,234 lines: 2 responses, 5 duplicate lines dropped, 1 malformed and 7 non-billing lines skipped.');
    const ranged = renderUsageTable(build(EVENTS, 'daily', { since: '2026-05-04', timeZone: 'Asia/Tokyo' }), { color: false });
    expect(ranged).toContain('Times in Asia/Tokyo, 2026-05-04 to …. ');
  });

  it('uses no ANSI escapes without colour', () => {
    expect(text).not.toMatch(ANSI);
  });

  it('makes the header and Total line bold with colour, and nothing else changes', () => {
    const colored = renderUsageTable(build(EVENTS), { color: true });
    expect(colored).toMatch(ANSI);
    const coloredLines = colored.split('\n');
    expect(coloredLines[0]).toBe(`\u001b[1m${lines[0]}\u001b[22m`);
    expect(coloredLines[5]).toBe(`\u001b[1m${lines[5]}\u001b[22m`);
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(text);
  });

  it('says so when the report is empty, and still prints a zero Total', () => {
    const empty = renderUsageTable(build([]), { color: false });
    expect(empty.split('\n')[0]).toBe('No usage found for this selection.');
    expect(empty).toMatch(/^Total +0 +0 +0 +0 +0 +0 +0\.0% +\$0\.00$/m);
    expect(text).not.toContain('No usage found');
  });

  it('titles the first column after the report kind', () => {
    const titles: Record<ReportKind, string> = { daily: 'Date', weekly: 'Week', monthly: 'Month', session: 'Session', project: 'Project', model: 'Model', phase: 'Phase' };
    for (const [kind, title] of Object.entries(titles) as [ReportKind, string][]) {
      expect(renderUsageTable(build(EVENTS, kind), { color: false }).split('\n')[0]!.startsWith(`${title} `), kind).toBe(true);
    }
  });

  it('shortens a long row key to 40 characters with an ellipsis', () => {
    const project = `-home-dev-${'x'.repeat(60)}`;
    const out = tableLines(renderUsageTable(build([event({ project, tokens: { input: 1 } })], 'project'), { color: false }));
    expect(out[2]!.startsWith(`${project.slice(0, 39)}… `)).toBe(true);
    expect(out[2]).not.toContain(project);
  });
});
