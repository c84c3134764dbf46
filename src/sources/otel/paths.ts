/**
 * Where OpenTelemetry exports are: nowhere by default (a collector writes wherever its `file`
 * exporter is told), so the user names them, with `--otel <path>` or `TOKENLEDGER_OTEL_EXPORTS`
 * (comma-separated, like `CLAUDE_CONFIG_DIR`). Each entry is a file (read whatever its name) or a
 * folder (every `*.json` and `*.jsonl` below it; rotated exports sit side by side).
 */
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { expandHome } from '../claude-code/paths.js';

export const OTEL_EXPORTS_ENV = 'TOKENLEDGER_OTEL_EXPORTS';

/** The configured entries, absolute and without duplicates: `explicit` (from `--otel`) wins over the environment. */
export function otelExportEntries(env: NodeJS.ProcessEnv = process.env, explicit?: readonly string[]): string[] {
  const home = env.HOME || homedir();
  const raw = explicit ?? env[OTEL_EXPORTS_ENV]?.split(',') ?? [];
  const entries = raw.map((entry) => entry.trim()).filter(Boolean);
  return [...new Set(entries.map((entry) => path.resolve(expandHome(entry, home))))];
}

export interface ExportFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface ExportListing {
  files: ExportFile[];
  /** Entries that name nothing on disk: reported, never fatal. */
  missing: string[];
}

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable folder below a configured one holds no exports we can read
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && /\.jsonl?$/.test(entry.name)) out.push(full);
  }
}

/** The export files below the entries, sorted by path, with size and mtime. */
export function listOtelExportFiles(entries: readonly string[]): ExportListing {
  const paths = new Set<string>();
  const missing: string[] = [];
  for (const entry of entries) {
    let info;
    try {
      info = statSync(entry);
    } catch {
      missing.push(entry);
      continue;
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      walk(entry, found);
      for (const file of found) paths.add(file);
    } else paths.add(entry);
  }
  const files: ExportFile[] = [];
  for (const file of [...paths].sort()) {
    try {
      const info = statSync(file);
      files.push({ path: file, size: info.size, mtimeMs: info.mtimeMs });
    } catch {
      missing.push(file); // deleted since it was listed
    }
  }
  return { files, missing };
}
