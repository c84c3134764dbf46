/**
 * Install, uninstall and inspect tokenledger's hooks in one settings file: the pure edits of
 * hook-settings.ts applied to the file, with the install record that makes uninstall exact.
 * Every check (settings parse, shape, install records) runs before the first write, so a file we
 * cannot handle is left untouched.
 */
import { existsSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { CAPTURE_EVENTS, type CaptureEvent, findHooks, hasTokenledgerHooks, hookCommandPaths, type HookChange, installHooks, uninstallHooks } from './hook-settings.js';
import { serializeSettings } from './hook-settings-json.js';
import { readBytes, readSettingsFile, removeFileAndCreatedDirs, writeFileAtomic } from './settings-file.js';
import { type InstallRecord, readInstalls, replaceRecord, sha256, writeInstalls } from './settings-file-installs.js';

export interface HookFileOptions {
  /** The settings file, absolute. */
  file: string;
  /** The install records file (see settings-file-installs.ts). */
  installsFile: string;
}

export interface InstallOutcome {
  file: string;
  status: 'installed' | 'updated' | 'already-installed';
  changes: Record<CaptureEvent, HookChange>;
  /** `disableAllHooks: true` in this file: Claude Code will not run the hooks we just added. */
  disableAllHooks: boolean;
}

/** Adds (or updates) our SessionEnd and SessionStart hooks running `command` in `file`. */
export async function installHookSettings(options: HookFileOptions & { command: string; now?: Date }): Promise<InstallOutcome> {
  const { file, installsFile } = options;
  const current = await readSettingsFile(file);
  const result = installHooks(current.settings, options.command);
  const disableAllHooks = current.settings.disableAllHooks === true;
  if (!result.changed) return { file, status: 'already-installed', changes: result.changes, disableAllHooks };

  const installs = await readInstalls(installsFile);
  const previous = installs.find((record) => record.file === file);
  const bytes = Buffer.from(serializeSettings(result.settings, current.format), 'utf8');
  // What uninstall should restore: the file as it was before our first install. If our hooks are
  // already in it, that is only known when the file is still exactly what we last wrote.
  let before: InstallRecord['before'] | undefined;
  let createdDir: string | null = null;
  if (!hasTokenledgerHooks(current.settings)) before = current.bytes ? { base64: current.bytes.toString('base64') } : 'absent';
  else if (previous && current.bytes && sha256(current.bytes) === previous.writtenSha256) ({ before, createdDir } = previous);

  const written = await writeFileAtomic(file, bytes);
  if (before === 'absent') createdDir = written.createdDir ?? null;
  const record = before && { file, before, createdDir, writtenSha256: sha256(bytes), installedAt: (options.now ?? new Date()).toISOString() };
  await writeInstalls(installsFile, replaceRecord(installs, file, record));
  const added = CAPTURE_EVENTS.every((event) => result.changes[event] !== 'updated');
  return { file, status: added ? 'installed' : 'updated', changes: result.changes, disableAllHooks };
}

export interface UninstallOutcome {
  file: string;
  /**
   * restored: the file is back to its exact bytes before install (or gone, if install created it);
   * removed: it changed since install, so only our handlers (and what they left empty) were taken out;
   * not-installed: no hooks of ours were there, nothing was written.
   */
  status: 'restored' | 'removed' | 'not-installed';
}

/** Removes what install added to `file`. */
export async function uninstallHookSettings(options: HookFileOptions): Promise<UninstallOutcome> {
  const { file, installsFile } = options;
  const installs = await readInstalls(installsFile);
  const record = installs.find((entry) => entry.file === file);
  const forget = () => (record ? writeInstalls(installsFile, replaceRecord(installs, file, undefined)) : Promise.resolve());
  const bytes = await readBytes(file);

  if (record && bytes && sha256(bytes) === record.writtenSha256) {
    if (record.before === 'absent') await removeFileAndCreatedDirs(file, record.createdDir);
    else await writeFileAtomic(file, Buffer.from(record.before.base64, 'base64'));
    await forget();
    return { file, status: 'restored' };
  }
  const current = await readSettingsFile(file);
  const result = uninstallHooks(current.settings);
  if (result.changed) await writeFileAtomic(file, serializeSettings(result.settings, current.format));
  await forget();
  return { file, status: result.changed ? 'removed' : 'not-installed' };
}

export interface HookStatus {
  command: string;
  /** Seconds, or null when the handler sets none. */
  timeout: number | null;
  /** The script the command runs, or null when it names none by absolute path (found on PATH). */
  script: string | null;
  scriptExists: boolean | null;
  node: string | null;
  nodeExists: boolean | null;
}

export interface SettingsFileStatus {
  file: string;
  exists: boolean;
  /** Our handlers per event; empty when not installed. */
  hooks: Record<CaptureEvent, HookStatus[]>;
  /** `disableAllHooks: true` in this file. */
  disableAllHooks: boolean;
  /** Why the file could not be read, when it could not (hooks are then unknown, shown empty). */
  error: string | null;
}

/** What `file` holds of ours; never throws for a bad settings file, it reports it. */
export async function hookSettingsStatus(file: string): Promise<SettingsFileStatus> {
  const empty: Record<CaptureEvent, HookStatus[]> = { SessionEnd: [], SessionStart: [] };
  let snapshot;
  try {
    snapshot = await readSettingsFile(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { file, exists: true, hooks: empty, disableAllHooks: false, error: error.message };
  }
  const found = findHooks(snapshot.settings);
  const describe = ({ command, timeout }: { command: string; timeout: number | undefined }): HookStatus => {
    const { node, script } = hookCommandPaths(command);
    return {
      command,
      timeout: timeout ?? null,
      script: script ?? null,
      scriptExists: script === undefined ? null : existsSync(script),
      node: node ?? null,
      nodeExists: node === undefined ? null : existsSync(node),
    };
  };
  return {
    file,
    exists: snapshot.bytes !== null,
    hooks: { SessionEnd: found.SessionEnd.map(describe), SessionStart: found.SessionStart.map(describe) },
    disableAllHooks: snapshot.settings.disableAllHooks === true,
    error: null,
  };
}
