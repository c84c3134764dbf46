/**
 * What each `hook install` found and wrote, so `hook uninstall` can put a settings file back
 * byte for byte: re-serializing JSON cannot promise that (key spacing, `1.0`, escapes, blank
 * lines), restoring the recorded bytes can. A record is used only while the file still hashes
 * to what install wrote; after any other edit, uninstall removes our entries surgically instead.
 *
 * Kept in `<state dir>/hook-installs.json`, one record per settings file.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { parseJsonText } from '../config.js';
import { ConfigError, zodIssueProblems } from '../errors.js';
import { readBytes, writeFileAtomic } from './settings-file.js';
import { stateDir } from './state-dir.js';

export const HOOK_INSTALLS_SCHEMA = 'tokenledger.hook-installs/1';

const installRecordSchema = z.strictObject({
  /** The settings file, absolute. */
  file: z.string().min(1),
  /** The file's bytes before the first install, or "absent" when install created it. */
  before: z.union([z.literal('absent'), z.strictObject({ base64: z.string() })]),
  /** The first folder install had to create for the file (removed again if empty), or null. */
  createdDir: z.string().nullable(),
  /** sha256 (hex) of the bytes install wrote. */
  writtenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex'),
  installedAt: z.string(),
});
export type InstallRecord = z.infer<typeof installRecordSchema>;

const installsSchema = z.strictObject({
  schema: z.literal(HOOK_INSTALLS_SCHEMA),
  installs: z.array(installRecordSchema),
});

export function installsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'hook-installs.json');
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The records in `file` (none when it does not exist). A damaged file is an error rather than an
 * empty list: starting over would silently lose the originals of every other install.
 */
export async function readInstalls(file: string): Promise<InstallRecord[]> {
  const bytes = await readBytes(file);
  if (bytes === null) return [];
  const parsed = installsSchema.safeParse(parseJsonText(bytes.toString('utf8'), file));
  if (!parsed.success) {
    const advice = { field: '', message: 'hook uninstall needs this file to restore settings exactly; delete it to forget earlier installs' };
    throw new ConfigError(file, [...zodIssueProblems(parsed.error.issues), advice]);
  }
  return parsed.data.installs;
}

export async function writeInstalls(file: string, installs: InstallRecord[]): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ schema: HOOK_INSTALLS_SCHEMA, installs }, null, 2)}\n`);
}

/** `installs` with `record` in place of any earlier record for the same file (or without one). */
export function replaceRecord(installs: InstallRecord[], file: string, record: InstallRecord | undefined): InstallRecord[] {
  const others = installs.filter((entry) => entry.file !== file);
  return record ? [...others, record] : others;
}
