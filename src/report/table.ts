/**
 * Terminal rendering of a usage report: an aligned table with token types, cost and cache-read
 * share, a totals line, and what reading saw. Pure (returns a string); colour only when asked.
 */
import { ROW_KEY, type ReportRow, type UsageReport } from './usage-report.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

const TITLES: Record<UsageReport['report'], string> = {
  daily: 'Date',
  weekly: 'Week',
  monthly: 'Month',
  session: 'Session',
  project: 'Project',
  model: 'Model',
  phase: 'Phase',
};

interface Column {
  title: string;
  align: 'left' | 'right';
  value: (row: ReportRow | UsageReport['totals']) => string;
}

function costCell(row: { costUSD: number; unpricedModels: string[] }): string {
  return `${usd.format(row.costUSD)}${row.unpricedModels.length > 0 ? '*' : ''}`;
}

function columns(report: UsageReport): Column[] {
  const key = ROW_KEY[report.report];
  const first: Column = {
    title: TITLES[report.report],
    align: 'left',
    value: (row) => (key in row ? shorten(String((row as ReportRow)[key]), 40) : 'Total'),
  };
  const number = (title: string, pick: (row: ReportRow | UsageReport['totals']) => number): Column => ({ title, align: 'right', value: (row) => integer.format(pick(row)) });
  return [
    first,
    number('Input', (row) => row.inputTokens),
    number('Output', (row) => row.outputTokens),
    number('Cache write 5m', (row) => row.cacheCreation5mTokens),
    number('Cache write 1h', (row) => row.cacheCreation1hTokens),
    number('Cache read', (row) => row.cacheReadTokens),
    number('Total', (row) => row.totalTokens),
    { title: 'Cache read %', align: 'right', value: (row) => `${(row.cacheReadShare * 100).toFixed(1)}%` },
    { title: 'Cost', align: 'right', value: costCell },
  ];
}

function shorten(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export interface TableStyle {
  color: boolean;
}

/** The report as terminal text. */
export function renderUsageTable(report: UsageReport, style: TableStyle): string {
  const cols = columns(report);
  const body = report.rows.map((row) => cols.map((col) => col.value(row)));
  const total = cols.map((col) => col.value(report.totals));
  const widths = cols.map((col, i) => Math.max(col.title.length, total[i]!.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (cols[i]!.align === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const bold = (text: string) => (style.color ? `\u001b[1m${text}\u001b[22m` : text);
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');

  const out = [bold(line(cols.map((col) => col.title))), rule, ...body.map(line), rule, bold(line(total))];
  const range = report.since || report.until ? `, ${report.since ?? '…'} to ${report.until ?? '…'}` : '';
  out.push('', `Times in ${report.timezone}${range}. Prices: table ${report.priceTable}.`);
  if (report.totals.unpricedModels.length > 0) {
    out.push(`* Unpriced models (tokens counted, cost not included): ${report.totals.unpricedModels.join(', ')}.`);
  }
  const d = report.diagnostics;
  out.push(
    `Read ${integer.format(d.filesRead)} files, ${integer.format(d.lines)} lines: ${integer.format(d.responses)} responses, ` +
      `${integer.format(d.duplicateLines)} duplicate lines dropped, ${integer.format(d.malformedLines)} malformed and ${integer.format(d.skippedLines)} non-billing lines skipped.`,
  );
  if (report.rows.length === 0) out.unshift('No usage found for this selection.', '');
  return `${out.join('\n')}\n`;
}
