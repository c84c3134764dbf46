/** `tokenledger report <kind>`: usage on this machine, from the agents' own logs. */
import { readUsage, SOURCE_IDS, type SourceId, type SourceOptions } from '../../sources/index.js';
import { cacheDir } from '../../sources/cache.js';
import { listSourceInputs } from '../../sources/inputs.js';
import { loadReport, reportKey, saveReport } from '../../report/report-cache.js';
import { assertTimeZone, earliestStartMs, localTimeZone, parseDay } from '../../dates.js';
import { renderUsageTable } from '../../report/table.js';
import { buildUsageReport, REPORT_KINDS, type ReportKind, type ReportOptions, type UsageReport } from '../../report/usage-report.js';
import { printJson, useColor, UserError, warn } from '../output.js';

export interface ReportFlags {
  json?: boolean;
  since?: string;
  until?: string;
  timezone?: string;
  agent: string;
  cache: boolean;
  /** OpenTelemetry export files or folders (comma-separated); implies reading the `otel` source. */
  otel?: string;
}

/** `--agent` spellings: the short names people type, `otel` (Claude Code's OpenTelemetry exports only), and `all`. */
const AGENT_FLAGS: Record<string, readonly SourceId[]> = { otel: ['otel'], claude: ['claude-code'], 'claude-code': ['claude-code'], codex: ['codex'], gemini: ['gemini'], opencode: ['opencode'], all: SOURCE_IDS };

export async function runReport(kind: string, flags: ReportFlags): Promise<void> {
  if (!(REPORT_KINDS as readonly string[]).includes(kind)) {
    throw new UserError(`report: unknown report "${kind}"; choose one of ${REPORT_KINDS.join(', ')}`);
  }
  const selected = AGENT_FLAGS[flags.agent];
  if (!selected) throw new UserError(`--agent: unknown agent "${flags.agent}"; choose one of ${Object.keys(AGENT_FLAGS).join(', ')}`);
  const timeZone = assertTimeZone(flags.timezone ?? localTimeZone());
  const since = flags.since === undefined ? undefined : parseDay(flags.since, '--since');
  const until = flags.until === undefined ? undefined : parseDay(flags.until, '--until');
  if (since && until && since > until) throw new UserError(`--since ${since} is after --until ${until}`);

  const otelExports = flags.otel?.split(',');
  const sources: readonly SourceId[] = otelExports && !selected.includes('otel') ? [...selected, 'otel'] : selected;
  const options = { kind: kind as ReportKind, timeZone, since, until };
  const cache = flags.cache ? cacheDir() : null;
  const read: SourceOptions = { otelExports, sinceMs: since === undefined ? undefined : earliestStartMs(since), cacheDir: cache };
  // With the cache on, a report whose inputs (every log file's size and mtime) and options are
  // those of a stored one is that report.
  let key: string | undefined;
  let computed: ComputedReport | undefined;
  if (cache) {
    const inputs = await listSourceInputs(sources, read);
    read.claudeTranscripts = inputs.claudeTranscripts;
    if (inputs.files) {
      key = reportKey({ options, sources, otelExports: otelExports ?? null, inputs: inputs.files });
      computed = loadReport<ComputedReport>(cache, key);
    }
  }
  if (!computed) {
    computed = await computeReport(sources, read, options);
    if (cache && key) saveReport(cache, key, computed);
  }
  const { report, malformedSamples, notes } = computed;
  if (report.diagnostics.malformedLines > 0) warn(malformedSamples, report.diagnostics.malformedLines - malformedSamples.length);
  for (const note of notes) process.stderr.write(`note: ${note}\n`);
  if (flags.json) printJson(report);
  else process.stdout.write(renderUsageTable(report, { color: useColor() }));
}

/** A report and what it tells on stderr. */
interface ComputedReport {
  report: UsageReport;
  malformedSamples: string[];
  notes: string[];
}

async function computeReport(sources: readonly SourceId[], options: SourceOptions, report: ReportOptions): Promise<ComputedReport> {
  const read = await readUsage(sources, options);
  return { report: buildUsageReport(read.events, read.diagnostics, report), malformedSamples: read.diagnostics.malformedSamples, notes: read.notes ?? [] };
}
