/**
 * `tokenledger hook install|uninstall|status`: tokenledger's SessionEnd (capture) and
 * SessionStart (sweep) hooks in Claude Code's settings files. The work is in src/capture/; this
 * module picks the file for a scope, builds the command, and prints.
 */
import path from 'node:path';
import { ConfigError } from '../../errors.js';
import { CAPTURE_EVENTS, CAPTURE_ROLES, HOOK_TIMEOUT_SECONDS, hookCommand } from '../../capture/hook-settings.js';
import { SETTINGS_SCOPES, settingsFile, type SettingsScope } from '../../capture/settings-file.js';
import { hookSettingsStatus, installHookSettings, type HookStatus, type SettingsFileStatus, uninstallHookSettings } from '../../capture/settings-file-hooks.js';
import { installsFile } from '../../capture/settings-file-installs.js';
import { packageRoot } from '../../package-root.js';
import { printJson, UserError, warn } from '../output.js';

export interface ScopeFlags {
  scope: SettingsScope;
}

/** The command Claude Code runs: this node and this package's bin, by absolute path. */
export function installedHookCommand(): string {
  return hookCommand(process.execPath, path.join(packageRoot(), 'bin', 'tokenledger.js'));
}

/** A settings or records file we cannot edit is the user's to fix: one line, nothing written. */
async function reportingFileErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(`${error.message} (nothing was written)`, { cause: error });
    throw error;
  }
}

export async function runHookInstall(flags: ScopeFlags): Promise<void> {
  const file = await settingsFile(flags.scope);
  const command = installedHookCommand();
  const outcome = await reportingFileErrors(() => installHookSettings({ file, command, installsFile: installsFile() }));
  if (outcome.status === 'already-installed') {
    process.stdout.write(`tokenledger hooks are already installed in ${file} (${flags.scope} scope); nothing changed.\n`);
  } else {
    process.stdout.write(`${outcome.status === 'installed' ? 'Installed' : 'Updated'} tokenledger hooks in ${file} (${flags.scope} scope):\n`);
    for (const event of CAPTURE_EVENTS) {
      process.stdout.write(`  ${event.padEnd(12)} ${CAPTURE_ROLES[event]}, timeout ${HOOK_TIMEOUT_SECONDS[event]} s (${outcome.changes[event]})\n`);
    }
    process.stdout.write(`  command      ${command}\n`);
  }
  const warnings: string[] = [];
  if (outcome.disableAllHooks) warnings.push(`${file} sets "disableAllHooks": true, so Claude Code runs no hooks from it`);
  // npx runs from a cache folder that npm may clear at any time; the hook would then exit 127.
  if (/[\\/]_npx[\\/]/.test(command)) warnings.push('tokenledger runs from the npx cache, which npm may clear; install it (npm install -g tokenledger) and run hook install again');
  if (warnings.length > 0) warn(warnings);
}

export async function runHookUninstall(flags: ScopeFlags): Promise<void> {
  const file = await settingsFile(flags.scope);
  const outcome = await reportingFileErrors(() => uninstallHookSettings({ file, installsFile: installsFile() }));
  const said = {
    restored: `Removed tokenledger hooks: ${file} is back to exactly what it was before install.`,
    removed: `Removed tokenledger hooks from ${file} (it changed since install, so only our entries were taken out).`,
    'not-installed': `tokenledger hooks are not installed in ${file} (${flags.scope} scope); nothing changed.`,
  } as const;
  process.stdout.write(`${said[outcome.status]}\n`);
}

export interface StatusFlags {
  json?: boolean;
}

export async function runHookStatus(flags: StatusFlags): Promise<void> {
  const scopes = [];
  for (const scope of SETTINGS_SCOPES) {
    const status = await hookSettingsStatus(await settingsFile(scope));
    const installed = Object.fromEntries(CAPTURE_EVENTS.map((event) => [event, status.hooks[event].length > 0]));
    scopes.push({ scope, installed, ...status });
  }
  if (flags.json) printJson({ scopes });
  else process.stdout.write(scopes.map(({ scope, ...status }) => renderScope(scope, status)).join(''));
}

function renderScope(scope: SettingsScope, status: SettingsFileStatus): string {
  const lines = [`${scope} scope: ${status.file}${status.exists ? '' : ' (no such file)'}`];
  if (status.error) lines.push(`  cannot read it: ${status.error}`);
  else {
    for (const event of CAPTURE_EVENTS) {
      const hooks = status.hooks[event];
      if (hooks.length === 0) lines.push(`  ${event} (${CAPTURE_ROLES[event]}): not installed`);
      for (const hook of hooks) lines.push(`  ${event} (${CAPTURE_ROLES[event]}): installed, timeout ${hook.timeout ?? 'default'} s`, ...renderCommand(scope, hook));
    }
  }
  if (status.disableAllHooks) lines.push('  "disableAllHooks": true in this file: Claude Code runs no hooks');
  return `${lines.join('\n')}\n`;
}

function renderCommand(scope: SettingsScope, hook: HookStatus): string[] {
  const lines = [`    command: ${hook.command}`];
  const missing = [hook.scriptExists === false && hook.script, hook.nodeExists === false && hook.node].filter(Boolean);
  for (const file of missing) {
    lines.push(`    MISSING ${file}: the hook fails (exit 127) and Claude Code ignores that silently; run \`tokenledger hook install --scope ${scope}\` again`);
  }
  return lines;
}
