/** `tokenledger report <kind>`: usage on this machine, from the agents' own logs. */
import { AGENTS, type Agent } from '../../sources/events.js';
import { readUsage } from '../../sources/index.js';
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
}

/** `--agent` spellings: the short names people type, and `all`. */
const AGENT_FLAGS: Record<string, readonly Agent[]> = { claude: ['claude-code'], 'claude-code': ['claude-code'], codex: ['codex'], all: AGENTS };

export async function runReport(kind: string, flags: ReportFlags): Promise<void> {
  if (!(REPORT_KINDS as readonly string[]).includes(kind)) {
    throw new UserError(`report: unknown report "${kind}"; choose one of ${REPORT_KINDS.join(', ')}`);
  }
  const agents = AGENT_FLAGS[flags.agent];
  if (!agents) throw new UserError(`--agent: unknown agent "${flags.agent}"; choose one of ${Object.keys(AGENT_FLAGS).join(', ')}`);
  const timeZone = assertTimeZone(flags.timezone ?? localTimeZone());
  const since = flags.since === undefined ? undefined : parseDay(flags.since, '--since');
  const until = flags.until === undefined ? undefined : parseDay(flags.until, '--until');
  if (since && until && since > until) throw new UserError(`--since ${since} is after --until ${until}`);

  const read = await readUsage(agents, {
    sinceMs: since === undefined ? undefined : earliestStartMs(since),
    cacheDir: flags.cache ? cacheDir() : null,
  });
  const report = buildUsageReport(read.events, read.diagnostics, { kind: kind as ReportKind, timeZone, since, until });
  if (read.diagnostics.malformedLines > 0) {
    warn(read.diagnostics.malformedSamples, read.diagnostics.malformedLines - read.diagnostics.malformedSamples.length);
  }
  if (flags.json) printJson(report);
  else process.stdout.write(renderUsageTable(report, { color: useColor() }));
}
