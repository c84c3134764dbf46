/**
 * Every file a read of the sources would open, with its size and mtime: what a result computed
 * from the sources depends on. A report stored with this list is still right while the list is
 * the same (`report/report-cache.ts`).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { listTranscriptFiles, type TranscriptFile } from './claude-code/paths.js';
import { getCodexRolloutFiles } from './codex/paths.js';
import { getGeminiChatFiles, getGeminiDir } from './gemini/paths.js';
import { getLegacySessionFolders, getOpenCodeDatabases } from './opencode/paths.js';
import { listOtelExportFiles, otelExportEntries } from './otel/paths.js';
import type { FileFingerprint } from './snapshot.js';
import type { SourceId, SourceOptions } from './index.js';

/** The inputs of the given sources, in a stable order; null when one of them cannot be listed exactly. */
export interface SourceInputs {
  files: FileFingerprint[] | null;
  /** The Claude Code transcripts listed on the way, for the read that may follow. */
  claudeTranscripts?: TranscriptFile[];
}

function fingerprint(file: string): FileFingerprint | undefined {
  try {
    const info = statSync(file);
    return [file, info.size, info.mtimeMs];
  } catch {
    return undefined; // missing is part of the picture: it shows as absent
  }
}

function fingerprints(files: readonly string[]): FileFingerprint[] {
  const out: FileFingerprint[] = [];
  for (const file of files) {
    const found = fingerprint(file);
    if (found) out.push(found);
  }
  return out;
}

export async function listSourceInputs(sources: readonly SourceId[], options: SourceOptions): Promise<SourceInputs> {
  const out: SourceInputs = { files: [] };
  for (const id of sources) {
    const files = await inputsOf(id, options, out);
    if (files === null || out.files === null) {
      out.files = null;
      continue;
    }
    out.files.push([`source:${id}`, files.length, 0], ...files);
  }
  return out;
}

async function inputsOf(id: SourceId, options: SourceOptions, out: SourceInputs): Promise<FileFingerprint[] | null> {
  switch (id) {
    case 'claude-code': {
      out.claudeTranscripts = await listTranscriptFiles(options.env);
      return out.claudeTranscripts.map((file): FileFingerprint => [file.path, file.size, file.mtimeMs]);
    }
    case 'codex':
      return fingerprints(await getCodexRolloutFiles(options.env));
    case 'gemini': {
      // The chats, and the registry that names their project folders.
      const chats = (await getGeminiChatFiles(options.env)).map((chat) => chat.path);
      return chats.length === 0 ? [] : fingerprints([...chats, path.join(getGeminiDir(options.env), 'projects.json')]);
    }
    case 'opencode': {
      // A store with its write-ahead log; legacy JSON storage spreads over message and part
      // folders, which this list does not follow: a result from it is not kept.
      if ((await getLegacySessionFolders(options.env)).length > 0) return null;
      return fingerprints((await getOpenCodeDatabases(options.env)).flatMap((store) => [store, `${store}-wal`]));
    }
    case 'otel':
      return listOtelExportFiles(otelExportEntries(options.env, options.otelExports)).files.map((file): FileFingerprint => [file.path, file.size, file.mtimeMs]);
  }
}
