/**
 * `tokenledger doctor`: is capture working here? Hooks installed where; the last runs with
 * outcome and duration; failures with reasons; summaries committed but not pushed; transcripts
 * about to be deleted by Claude Code before they were captured; whether the remote answers; whether
 * Claude Code's stats cache agrees with the transcripts.
 */
import { stat } from 'node:fs/promises';
import { repositoryRoot } from '../../capture/capture.js';
import { readRuns, type RunRecord } from '../../capture/run-log.js';
import { SETTINGS_SCOPES, settingsFile } from '../../capture/settings-file.js';
import { hookSettingsStatus } from '../../capture/settings-file-hooks.js';
import { pendingTranscripts } from '../../capture/sweep.js';
import { loadRepoConfig, resolveAnonymizationKey } from '../../config.js';
import { gitMaybe } from '../../ledger/git.js';
import { pendingCommits } from '../../ledger/push.js';
import { printJson } from '../output.js';
import { localTimeZone } from '../../dates.js';
import { cacheDir } from '../../sources/cache.js';
import { checkStatsCaches } from '../../sources/claude-code/stats-cache.js';
import { describeStatsCacheChecks } from '../../report/stats-cache.js';

/** Claude Code deletes transcripts after `cleanupPeriodDays` (30 by default); warn this much before. */
const RETENTION_DAYS = 30;
const WARN_DAYS_BEFORE = 5;
const REMOTE_TIMEOUT_MS = 5_000;

export interface DoctorFlags {
  json?: boolean;
  repo?: string;
}

async function hooksByScope() {
  return Promise.all(
    SETTINGS_SCOPES.map(async (scope) => {
      const file = await settingsFile(scope);
      const status = await hookSettingsStatus(file);
      const installed = status.hooks.SessionEnd.length > 0 && status.hooks.SessionStart.length > 0;
      const broken = [...status.hooks.SessionEnd, ...status.hooks.SessionStart].some((hook) => hook.scriptExists === false || hook.nodeExists === false);
      return { scope, file, installed, broken, disableAllHooks: status.disableAllHooks, error: status.error };
    }),
  );
}

async function repositoryChecks(repoDir: string) {
  const root = await repositoryRoot(repoDir);
  const config = await loadRepoConfig(root);
  const ref = `refs/heads/${config.dataBranch}`;
  const [key, unpushed, remoteAnswer, pending] = await Promise.all([
    resolveAnonymizationKey(root).then(
      (resolved) => resolved.source,
      (error: Error) => `none (${error.message})`,
    ),
    pendingCommits(root, config.remote, ref).catch(() => null),
    gitMaybe(root, ['ls-remote', '--exit-code', config.remote, ref], { timeoutMs: REMOTE_TIMEOUT_MS }),
    pendingTranscripts(root),
  ]);
  const reachable = remoteAnswer !== undefined || (await gitMaybe(root, ['ls-remote', config.remote, 'HEAD'], { timeoutMs: REMOTE_TIMEOUT_MS })) !== undefined;
  const expiring: string[] = [];
  const deadline = Date.now() - (RETENTION_DAYS - WARN_DAYS_BEFORE) * 86_400_000;
  for (const transcript of pending) if ((await stat(transcript)).mtimeMs < deadline) expiring.push(transcript);
  return { root, dataBranch: config.dataBranch, remote: config.remote, keySource: key, unpushedCommits: unpushed, remoteReachable: reachable, uncaptured: pending.length, expiringUncaptured: expiring };
}

function describeRun(run: RunRecord): string {
  return `${run.at}  ${run.event.padEnd(12)} ${run.outcome.padEnd(13)} ${String(run.durationMs).padStart(6)} ms${run.reason ? `  ${run.reason}` : ''}`;
}

export async function runDoctor(flags: DoctorFlags): Promise<void> {
  const hooks = await hooksByScope();
  const runs = readRuns(process.env, 20);
  const repository = await repositoryChecks(flags.repo ?? process.cwd()).catch((error: Error) => ({ error: error.message }));
  // Can the numbers be trusted? Claude Code's own totals (/usage) against the transcripts.
  const statsCaches = await checkStatsCaches({ timeZone: localTimeZone(), cacheDir: cacheDir() });
  if (flags.json) {
    printJson({ hooks, runs, repository, statsCaches });
    return;
  }
  const out: string[] = ['Hooks'];
  for (const hook of hooks) {
    const state = hook.error ? `unreadable: ${hook.error}` : hook.installed ? (hook.broken ? 'installed, but its command points at a missing file' : 'installed') : 'not installed';
    out.push(`  ${hook.scope.padEnd(8)} ${state}${hook.disableAllHooks ? ' (disableAllHooks is set: Claude Code runs none)' : ''}  ${hook.file}`);
  }
  if (!hooks.some((hook) => hook.installed)) out.push('  Run `tokenledger hook install` to capture sessions automatically.');
  out.push('', 'Last runs');
  if (runs.length === 0) out.push('  none yet');
  for (const run of runs.slice(-10)) out.push(`  ${describeRun(run)}`);
  const failures = runs.filter((run) => run.outcome === 'failed');
  if (failures.length > 0) out.push('', `Failures (${failures.length} of the last ${runs.length} runs)`, ...failures.slice(-5).map((run) => `  ${describeRun(run)}`));
  out.push('', 'This repository');
  if ('error' in repository) out.push(`  ${repository.error}`);
  else {
    out.push(
      `  data branch       ${repository.dataBranch} → ${repository.remote} (${repository.remoteReachable ? 'remote reachable' : 'remote NOT reachable'})`,
      `  not yet pushed    ${repository.unpushedCommits === null ? 'unknown' : `${repository.unpushedCommits} commit(s)`}`,
      `  not yet captured  ${repository.uncaptured} session(s)${repository.uncaptured > 0 ? ' (`tokenledger sync` captures them)' : ''}`,
      `  anonymization key ${repository.keySource}${repository.keySource === 'fallback' ? ' (weak: set TOKENLEDGER_KEY, see README)' : ''}`,
    );
    if (repository.expiringUncaptured.length > 0) {
      out.push(`  ${repository.expiringUncaptured.length} uncaptured transcript(s) are close to Claude Code's ${RETENTION_DAYS}-day deletion: run \`tokenledger sync\` now.`);
    }
  }
  out.push('', ...describeStatsCacheChecks(statsCaches));
  process.stdout.write(`${out.join('\n')}\n`);
}
