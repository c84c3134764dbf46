/** `tokenledger report <kind>`: usage on this machine, from the agents' own logs. */
import { readUsage, SOURCE_IDS, type SourceId } from '../../sources/index.js';
import { cacheDir } from '../../sources/cache.js';
import { assertTimeZone, earliestStartMs, localTimeZone, parseDay } from '../../dates.js';
import { renderUsageTable } from '../../report/table.js';
import { buildUsageReport, REPORT_KINDS, type ReportKind } from '../../report/usage-report.js';
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
  const read = await readUsage(sources, {
    otelExports,
    sinceMs: since === undefined ? undefined : earliestStartMs(since),
    cacheDir: flags.cache ? cacheDir() : null,
  });
  const report = buildUsageReport(read.events, read.diagnostics, { kind: kind as ReportKind, timeZone, since, until });
  if (read.diagnostics.malformedLines > 0) {
    warn(read.diagnostics.malformedSamples, read.diagnostics.malformedLines - read.diagnostics.malformedSamples.length);
  }
  for (const note of read.notes ?? []) process.stderr.write(`note: ${note}\n`);
  if (flags.json) printJson(report);
  else process.stdout.write(renderUsageTable(report, { color: useColor() }));
}
