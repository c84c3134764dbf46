#!/usr/bin/env node
// Synthetic Claude Code 2.1.x transcripts for benchmarks, with independently known totals.
//
//   node bench/generate.mjs <dir> <size e.g. 200MB|1GB> [--seed N]
//
// Writes <dir>/projects/<encoded-project>/<session>.jsonl, nested subagent files
// <dir>/projects/<project>/<session>/subagents/agent-a<16 hex>.jsonl (about 1 file in 7), and
// <dir>/expected.json. The totals in expected.json are summed from the numbers the generator
// chose (each API response once, with its final usage), never by reading the files back, so a
// parser that sums streaming snapshots or keeps the first one disagrees with them.
//
// Layout and field order follow the real 2.1.x files described in
// shared/reference/transcript-formats.md §1; the file-size profile follows ccusage's large
// fixture (shared/reference/ccusage.md §8: p50 105 KB, p90 654 KB, p99 5.4 MB).
// Sizes use binary units: 1MB = 1 MiB = 1,048,576 bytes.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump whenever the output for a given (size, seed) changes, so cached bench data is rebuilt. */
export const GENERATOR_VERSION = 3;

const KiB = 1024;
const MiB = 1024 * KiB;
const DAY_MS = 86_400_000;
/** Sessions start within this window (UTC); long sessions may run a few days past its end. */
const WINDOW_START_MS = Date.UTC(2026, 2, 1); // 2026-03-01
const WINDOW_DAYS = 58;
/** Write in big chunks: one write per ~1 MiB keeps syscalls rare and memory bounded. */
const FLUSH_BYTES = 1 * MiB;
/** Claude Code auto-compacts well before 200k; staying below also keeps every request out of
 * the >200k long-context price tier, where ccusage prices per bucket and would disagree. */
const CONTEXT_LIMIT_TOKENS = 165_000;

// ---------------------------------------------------------------------------------------------
// Sizes

/** Parses "200MB", "1GB", "512KiB", "1048576" into bytes (binary units). */
export function parseSize(text) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMG]i?B?)?\s*$/i.exec(String(text));
  if (!match) throw new Error(`Invalid size "${text}": expected e.g. 200MB, 1GB or a byte count`);
  const unit = (match[2] ?? '').toUpperCase().replace('I', '').replace('B', '');
  const factor = { '': 1, K: KiB, M: MiB, G: 1024 * MiB }[unit];
  return Math.round(Number(match[1]) * factor);
}

/** Formats bytes as MiB with one decimal, the unit the bench reports in. */
export function formatMiB(bytes) {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG (sfc32 seeded through splitmix32): same seed, same bytes, on any machine.

function splitmix32(state) {
  let a = state | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

class Random {
  /** `stream` gives independent sequences per file, so files do not depend on each other. */
  constructor(seed, stream = 0) {
    const mix = splitmix32(Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32() {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float() {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo, hi) {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p) {
    return this.float() < p;
  }

  pick(list) {
    return list[Math.floor(this.float() * list.length)];
  }

  /** `table` is [[value, weight], ...]. */
  weighted(table) {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.float() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    return table[table.length - 1][0];
  }

  /** Log-uniform integer in [lo, hi]: many small values, a long tail of large ones. */
  logUniform(lo, hi) {
    return Math.round(lo * Math.pow(hi / lo, this.float()));
  }

  /** Number of failures before the first success, capped. */
  geometric(mean, cap) {
    const p = 1 / (mean + 1);
    let n = 0;
    while (n < cap && !this.chance(p)) n++;
    return n;
  }

  chars(alphabet, n) {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.u32() % alphabet.length];
    return s;
  }

  hex(n) {
    return this.chars(HEX, n);
  }

  base62(n) {
    return this.chars(BASE62, n);
  }

  uuid() {
    const h = this.hex(32);
    const variant = HEX[8 + (this.u32() & 3)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Text corpora. Built once per seed; padded content is sliced out of them, which is far faster
// than producing fresh random text for every one of hundreds of MB of tool output.

const WORDS = (
  'account action adapter agent amount api array async await batch branch buffer build cache ' +
  'call cart change check client commit config context count cursor daily data date debug ' +
  'delta diff entry error event export fetch field file filter format handler hook index ' +
  'input item job json key ledger limit line list load log map merge message meta model ' +
  'module node offset order output page parse patch path payload plan price project prompt ' +
  'query queue range read record render report request result retry route row rule schema ' +
  'scope session setting shard source state stream summary table task test token total ' +
  'trace tree type update usage user value version view window worker write'
).split(' ');
const TYPES = ['string', 'number', 'boolean', 'Date', 'Buffer', 'unknown', 'Record<string, number>'];
const DIRS = ['cli', 'core', 'api', 'db', 'models', 'routes', 'services', 'components', 'hooks', 'lib', 'utils', 'jobs'];

function camel(rng) {
  const a = rng.pick(WORDS);
  const b = rng.pick(WORDS);
  return a + b[0].toUpperCase() + b.slice(1);
}

function sentence(rng) {
  const n = rng.int(6, 18);
  const words = [];
  for (let i = 0; i < n; i++) words.push(rng.pick(WORDS));
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return `${words.join(' ')}${rng.pick(['.', '.', '.', '?', ':'])}`;
}

function codeLine(rng) {
  const indent = '  '.repeat(rng.int(0, 3));
  const id = camel(rng);
  switch (rng.int(0, 11)) {
    case 0: return `import { ${id} } from './${rng.pick(DIRS)}/${rng.pick(WORDS)}.js';`;
    case 1: return `export function ${id}(${rng.pick(WORDS)}: ${rng.pick(TYPES)}): ${rng.pick(TYPES)} {`;
    case 2: return `${indent}const ${id} = await ${camel(rng)}.${rng.pick(WORDS)}(${rng.pick(WORDS)});`;
    case 3: return `${indent}if (!${id}) throw new Error("${sentence(rng)}");`;
    case 4: return `${indent}return ${id}.map((x) => x.${rng.pick(WORDS)} ?? ${rng.int(0, 999)});`;
    case 5: return `${indent}}`;
    case 6: return `${indent}// ${sentence(rng)}`;
    case 7: return '';
    case 8: return `${indent}${id}.${rng.pick(WORDS)} = { ${rng.pick(WORDS)}: '${rng.pick(WORDS)}', size: ${rng.int(1, 4096)} };`;
    case 9: return `${indent}for (const ${rng.pick(WORDS)} of ${id}) total += ${rng.pick(WORDS)}.${rng.pick(WORDS)};`;
    case 10: return `${indent}expect(${id}(${rng.int(0, 99)})).toEqual({ ${rng.pick(WORDS)}: ${rng.int(0, 99)} });`;
    default: return `${indent}let ${id}: ${rng.pick(TYPES)} = ${camel(rng)}(\`\${${rng.pick(WORDS)}}\`, ${rng.int(0, 64)});`;
  }
}

function logLine(rng) {
  const file = `src/${rng.pick(DIRS)}/${rng.pick(WORDS)}.test.ts`;
  switch (rng.int(0, 7)) {
    case 0: return ` ✓ ${file} (${rng.int(1, 60)} tests) ${rng.int(2, 900)}ms`;
    case 1: return `   ✓ ${sentence(rng)} ${rng.int(0, 90)}ms`;
    case 2: return ` × ${file} > ${sentence(rng)}`;
    case 3: return `stdout | ${file} > ${rng.pick(WORDS)}`;
    case 4: return `[build] ${rng.pick(WORDS)} compiled ${rng.int(2, 400)} modules in ${rng.int(20, 9000)}ms`;
    case 5: return `    at ${camel(rng)} (${file}:${rng.int(1, 400)}:${rng.int(1, 80)})`;
    case 6: return `  ${rng.pick(['warn', 'info', 'debug'])} ${sentence(rng)}`;
    default: return '';
  }
}

/** A corpus of lines with offsets so slices end on a line boundary. */
function buildLines(rng, makeLine, minChars, prefix) {
  const lines = [];
  let total = 0;
  while (total < minChars) {
    const line = prefix ? prefix(lines.length) + makeLine(rng) : makeLine(rng);
    lines.push(line);
    total += line.length + 1;
  }
  const offsets = new Int32Array(lines.length + 1);
  for (let i = 0; i < lines.length; i++) offsets[i + 1] = offsets[i] + lines[i].length + 1;
  return { text: lines.join('\n') + '\n', offsets, count: lines.length };
}

const corpusCache = new Map();

function getCorpus(seed) {
  let corpus = corpusCache.get(seed);
  if (corpus) return corpus;
  const rng = new Random(seed, 0x636f7270);
  const code = buildLines(rng, codeLine, 1.2 * MiB);
  // Read results show the same file with `cat -n`-style numbers, as Claude Code's Read does.
  const numbered = { text: '', offsets: new Int32Array(code.count + 1), count: code.count };
  const numberedLines = code.text.split('\n', code.count);
  numbered.text = numberedLines.map((line, i) => `${String(i + 1).padStart(6)}→${line}`).join('\n') + '\n';
  for (let i = 0; i < code.count; i++) {
    numbered.offsets[i + 1] = numbered.offsets[i] + numberedLines[i].length + 8;
  }
  const log = buildLines(rng, logLine, 0.6 * MiB);
  const prose = buildLines(rng, sentence, 0.3 * MiB);
  const signature = rng.chars(BASE64, 64 * KiB);
  corpus = { code, numbered, log, prose, signature };
  corpusCache.set(seed, corpus);
  return corpus;
}

/** First line index whose offset is >= target (binary search). */
function lineAt(offsets, target) {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** About `chars` characters of whole lines from a random place in `lines`. */
function sliceLines(rng, lines, chars) {
  const span = Math.min(chars, lines.text.length - 1);
  const maxStart = Math.max(0, lineAt(lines.offsets, lines.text.length - span) - 1);
  const start = rng.int(0, maxStart);
  const end = Math.max(start + 1, Math.min(lines.count, lineAt(lines.offsets, lines.offsets[start] + span)));
  return { start, end, text: lines.text.slice(lines.offsets[start], lines.offsets[end]) };
}

function proseText(rng, corpus, chars) {
  return sliceLines(rng, corpus.prose, chars).text.replace(/\n/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Dataset plan: file sizes, projects, sessions, subagents. Everything here is decided up front
// from one PRNG stream so that each file can then be written independently.

/** File-size quantiles (u, bytes), interpolated in log space; shaped after ccusage's profile. */
const SIZE_QUANTILES = [
  [0, 3 * KiB],
  [0.1, 18 * KiB],
  [0.25, 45 * KiB],
  [0.5, 105 * KiB],
  [0.75, 260 * KiB],
  [0.9, 654 * KiB],
  [0.99, 5.4 * MiB],
  [0.999, 14 * MiB],
  [1, 24 * MiB],
];
/** The real profile's largest file. */
const LARGEST_FILE_CAP = 87 * MiB;

function quantileSize(u) {
  for (let i = 1; i < SIZE_QUANTILES.length; i++) {
    const [u1, s1] = SIZE_QUANTILES[i];
    if (u <= u1) {
      const [u0, s0] = SIZE_QUANTILES[i - 1];
      const f = (u - u0) / (u1 - u0);
      return Math.exp(Math.log(s0) + f * (Math.log(s1) - Math.log(s0)));
    }
  }
  return SIZE_QUANTILES[SIZE_QUANTILES.length - 1][1];
}

/** Stratified quantiles (not random draws) so every data set has the profile's exact shape. */
function profileSizes(count) {
  const sizes = [];
  for (let i = 0; i < count; i++) sizes.push(quantileSize((i + 0.5) / count));
  return sizes;
}

/**
 * Target sizes for all files, largest first. One deliberately huge session (15% of the total,
 * at most 87 MiB) gives 200 MB a ~30 MiB file and 1 GB the real profile's 87 MiB maximum.
 */
function planFileSizes(bytes) {
  const largest = Math.min(LARGEST_FILE_CAP, Math.round(bytes * 0.15));
  const rest = bytes - largest;
  const mean = profileSizes(1000).reduce((a, b) => a + b, 0) / 1000;
  let count = Math.max(1, Math.round(rest / mean));
  let sizes = profileSizes(count);
  // Fine-tune the count so the profile sums to the requested total, then scale the remainder.
  for (let i = 0; i < 20; i++) {
    const sum = sizes.reduce((a, b) => a + b, 0);
    const next = Math.max(1, Math.round(count * (rest / sum)));
    if (next === count) break;
    count = next;
    sizes = profileSizes(count);
  }
  const sum = sizes.reduce((a, b) => a + b, 0);
  const scaled = sizes.map((s) => Math.max(2 * KiB, Math.round((s * rest) / sum)));
  return [largest, ...scaled].sort((a, b) => b - a);
}

const HOME = '/home/dev';
const PROJECT_NAMES = [
  'api-gateway', 'billing_service', 'web-app', 'infra', 'ml.pipeline', 'docs-site', 'mobile-app',
  'data-tools', 'auth-service', 'search', 'payments', 'notifications', 'design-system', 'cli',
  'analytics', 'scheduler', 'edge-proxy', 'etl_jobs', 'admin-console', 'sdk-typescript',
  'monorepo', 'ledger', 'feature-flags', 'chat-widget', 'vector-index', 'report.builder',
  'image-resizer', 'mail-templates', 'k8s-manifests', 'terraform-modules', 'storybook',
  'load-tests', 'pricing-engine', 'support-bot', 'crm-sync', 'webhooks', 'dotfiles', 'blog',
];
const BRANCHES = ['main', 'main', 'main', 'develop', 'feat/usage-report', 'fix/cache-key', 'feat/webhooks',
  'chore/deps', 'refactor/parser', 'HEAD', ''];
/** Versions in the order they appear over the window (2.1.63+ write final usage on the last line). */
const VERSIONS = ['2.1.68', '2.1.76', '2.1.81', '2.1.88', '2.1.92', '2.1.96', '2.1.101', '2.1.107', '2.1.114'];
const SLUG_WORDS = ['frolicking', 'wondering', 'milner', 'quiet', 'brisk', 'golden', 'hopeful', 'nobel',
  'eloquent', 'shtern', 'curious', 'lamport', 'tender', 'knuth', 'swift', 'hopper'];

export const MODELS = {
  opus: 'claude-opus-4-6',
  sonnet: 'claude-sonnet-4-5-20250929',
  haiku: 'claude-haiku-4-5-20251001',
};

/** Compares dotted versions numerically: atLeast('2.1.92', '2.1.88') === true. */
function atLeast(version, min) {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/** Claude Code's folder name for a launch directory: every non-alphanumeric character becomes '-'. */
export function encodeProjectDir(cwd) {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

function planProjects(rng, sessionCount) {
  const count = Math.max(3, Math.min(PROJECT_NAMES.length + 12, Math.round(sessionCount / 14)));
  const projects = [];
  for (let i = 0; i < count; i++) {
    const name = PROJECT_NAMES[i % PROJECT_NAMES.length] + (i >= PROJECT_NAMES.length ? `-${i}` : '');
    let cwd = `${HOME}/${rng.pick(['work', 'src', 'code'])}/${name}`;
    // Claude Code worktrees appear as separate project folders ending in --claude-worktrees-<name>.
    if (i > 2 && rng.chance(0.08)) cwd = `${projects[rng.int(0, i - 1)].cwd}/.claude/worktrees/${rng.pick(SLUG_WORDS)}-${rng.pick(SLUG_WORDS)}`;
    projects.push({ cwd, dir: encodeProjectDir(cwd), weight: 1 / (i + 1) ** 0.8 });
  }
  return projects;
}

function sessionTraits(rng, startMs) {
  const progress = (startMs - WINDOW_START_MS) / (WINDOW_DAYS * DAY_MS);
  const index = Math.min(VERSIONS.length - 1, Math.max(0, Math.floor(progress * VERSIONS.length) + rng.int(-1, 0)));
  const version = VERSIONS[index];
  return {
    version,
    entrypoint: atLeast(version, '2.1.78') ? rng.weighted([['cli', 8], ['claude-vscode', 2], ['claude-desktop', 1]]) : undefined,
    slug: atLeast('2.1.96', version) ? `${rng.pick(SLUG_WORDS)}-${rng.pick(SLUG_WORDS)}-${rng.pick(SLUG_WORDS)}` : undefined,
    gitBranch: rng.pick(BRANCHES),
    // 1-hour cache writes are common from 2.1.3x on and are priced differently, so mix both.
    cacheMode: rng.weighted([['1h', 55], ['5m', 35], ['mixed', 10]]),
  };
}

/** Decides every file of the data set; no file content yet. */
function planDataset(bytes, seed) {
  const rng = new Random(seed, 0);
  const sizes = planFileSizes(bytes);
  const fileCount = sizes.length;
  const subagentCount = fileCount >= 7 ? Math.round(fileCount / 7) : 0;
  const sessionCount = fileCount - subagentCount;
  // The biggest files stay main sessions; the rest are shuffled between sessions and subagents.
  const reserved = Math.min(sessionCount, Math.max(1, Math.ceil(fileCount * 0.02)));
  const pool = sizes.slice(reserved);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const sessionSizes = [...sizes.slice(0, reserved), ...pool.slice(0, sessionCount - reserved)];
  const subagentSizes = pool.slice(sessionCount - reserved);

  const projects = planProjects(rng, sessionCount);
  const projectTable = projects.map((p, i) => [i, p.weight]);
  const sessions = sessionSizes.map((size) => {
    const project = projects[rng.weighted(projectTable)];
    const startMs = WINDOW_START_MS + Math.floor(rng.float() * WINDOW_DAYS * DAY_MS);
    const mainModel = rng.weighted([['opus', 50], ['sonnet', 35], ['haiku', 15]]);
    return {
      kind: 'session', size, sessionId: rng.uuid(), project, cwd: project.cwd, startMs, mainModel,
      agentIds: [], ...sessionTraits(rng, startMs),
    };
  });
  const subagents = subagentSizes.map((size) => {
    const parent = sessions[rng.int(0, sessions.length - 1)];
    const agentId = `a${rng.hex(16)}`;
    parent.agentIds.push(agentId);
    return {
      ...parent, kind: 'subagent', size, agentId, agentIds: [], parent,
      startMs: parent.startMs + rng.int(60_000, 3 * 3_600_000),
      mainModel: rng.weighted([['haiku', 55], ['sonnet', 30], ['opus', 15]]),
      cacheMode: rng.weighted([['5m', 70], ['1h', 30]]),
    };
  });
  return { projects, files: [...sessions, ...subagents] };
}

function relativeFilePath(spec) {
  if (spec.kind === 'subagent') {
    return path.join('projects', spec.project.dir, spec.parent.sessionId, 'subagents', `agent-${spec.agentId}.jsonl`);
  }
  return path.join('projects', spec.project.dir, `${spec.sessionId}.jsonl`);
}

// ---------------------------------------------------------------------------------------------
// Expected totals (the ledger the bench compares tools against).

function emptyTokens() {
  return {
    inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 0,
    cacheCreation5mTokens: 0, cacheCreation1hTokens: 0, messages: 0, webSearchRequests: 0, webFetchRequests: 0,
  };
}

function addTokens(into, u) {
  into.inputTokens += u.input;
  into.outputTokens += u.output;
  into.cacheCreationTokens += u.cache5m + u.cache1h;
  into.cacheCreation5mTokens += u.cache5m;
  into.cacheCreation1hTokens += u.cache1h;
  into.cacheReadTokens += u.cacheRead;
  into.totalTokens += u.input + u.output + u.cache5m + u.cache1h + u.cacheRead;
  into.messages += 1;
  into.webSearchRequests += u.webSearch;
  into.webFetchRequests += u.webFetch;
}

function mergeTokens(into, from) {
  for (const key of Object.keys(from)) into[key] += from[key];
}

class Ledger {
  constructor() {
    this.totals = emptyTokens();
    this.byModel = {};
    this.byDay = {};
  }

  /** Counts one API response, once, with its final usage, on the UTC day of its first final line. */
  addResponse(model, usage, day) {
    addTokens(this.totals, usage);
    addTokens((this.byModel[model] ??= emptyTokens()), usage);
    addTokens((this.byDay[day] ??= emptyTokens()), usage);
  }

  merge(other) {
    mergeTokens(this.totals, other.totals);
    for (const [model, t] of Object.entries(other.byModel)) mergeTokens((this.byModel[model] ??= emptyTokens()), t);
    for (const [day, t] of Object.entries(other.byDay)) mergeTokens((this.byDay[day] ??= emptyTokens()), t);
  }

  toJSON() {
    const sorted = (obj) => Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : 1)));
    return { totals: this.totals, byModel: sorted(this.byModel), byDay: sorted(this.byDay) };
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Buffers JSONL lines and writes them in ~1 MiB chunks; tracks bytes for size targeting. */
class LineWriter {
  constructor(file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
    this.parts = [];
    this.pending = 0;
    this.bytes = 0;
    this.lines = 0;
  }

  write(record) {
    const line = `${JSON.stringify(record)}\n`;
    const size = Buffer.byteLength(line);
    this.parts.push(line);
    this.pending += size;
    this.bytes += size;
    this.lines += 1;
    if (this.pending >= FLUSH_BYTES) this.flush();
  }

  flush() {
    if (this.parts.length === 0) return;
    fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pending = 0;
  }

  close() {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** The size of one tool result line (content plus its toolUseResult copy): mostly small, long tail. */
function drawResultChars(rng) {
  return rng.weighted([
    [() => rng.logUniform(250, 2_500), 60],
    [() => rng.logUniform(2_500, 12 * KiB), 29],
    [() => rng.logUniform(12 * KiB, 60 * KiB), 9.3],
    [() => rng.logUniform(60 * KiB, 200 * KiB), 1.5],
    [() => rng.logUniform(200 * KiB, 450 * KiB), 0.2],
  ])();
}

const TOOL_WEIGHTS = [
  ['Bash', 30], ['Read', 22], ['Edit', 12], ['TodoWrite', 8], ['Write', 6], ['Grep', 6], ['Glob', 6],
  ['Agent', 2.5], ['WebFetch', 1.5],
];
const BASH_COMMANDS = [
  ['npm test', 'log', 'Run the test suite'],
  ['npx vitest run src/report', 'log', 'Run report tests'],
  ['npm run build', 'log', 'Build the project'],
  ['npm run lint', 'log', 'Lint'],
  ['git status', 'status', 'Show working tree status'],
  ['git diff', 'code', 'Show unstaged changes'],
  ['git log --oneline -15', 'gitlog', 'Recent commits'],
  ['ls -la src', 'ls', 'List source files'],
  ['cat package.json', 'code', 'Show package.json'],
  ['git add -A && git commit -m "Fix cache key handling"', 'status', 'Commit changes'],
];

/**
 * Writes one session (or subagent) file. All state of the conversation being simulated lives
 * here: clock, parent chain, prompt context size (which drives cache reads and writes).
 */
class SessionWriter {
  constructor(spec, rng, corpus, writer, ledger) {
    this.spec = spec;
    this.rng = rng;
    this.corpus = corpus;
    this.w = writer;
    this.ledger = ledger;
    this.time = spec.startMs;
    this.lastUuid = null;
    this.promptId = undefined;
    this.context = 0; // tokens already in the prompt cache
    this.pending = 0; // tokens added since the last request (outputs, tool results)
    this.cacheCold = true;
    this.pendingAgents = [...spec.agentIds];
    this.isSidechain = spec.kind === 'subagent';
    this.agentTool = atLeast(spec.version, '2.1.87') ? 'Agent' : 'Task';
    this.hasPromptId = atLeast(spec.version, '2.1.87');
    this.hasStopDetails = atLeast(spec.version, '2.1.92');
  }

  timestamp() {
    return new Date(this.time).toISOString();
  }

  /** Leading envelope fields; every line with a uuid continues the parentUuid chain. */
  beginRecord(uuid = this.rng.uuid(), { promptId = false } = {}) {
    const record = { parentUuid: this.lastUuid, isSidechain: this.isSidechain };
    if (promptId && this.hasPromptId) record.promptId = this.promptId;
    if (this.isSidechain) record.agentId = this.spec.agentId;
    this.lastUuid = uuid;
    return { record, uuid };
  }

  /** Common trailing envelope fields, in Claude Code's order. */
  endRecord(record) {
    record.userType = 'external';
    if (this.spec.entrypoint) record.entrypoint = this.spec.entrypoint;
    record.cwd = this.spec.cwd;
    record.sessionId = this.spec.sessionId; // subagent files carry the parent session id
    record.version = this.spec.version;
    record.gitBranch = this.spec.gitBranch;
    if (this.spec.slug) record.slug = this.spec.slug;
    return record;
  }

  // --- line types -----------------------------------------------------------------------------

  writeAttachment(attachment) {
    const { record, uuid } = this.beginRecord();
    record.attachment = attachment;
    record.type = 'attachment';
    record.uuid = uuid;
    record.timestamp = this.timestamp();
    this.w.write(this.endRecord(record));
  }

  writeSystem(fields) {
    const { record, uuid } = this.beginRecord();
    record.type = 'system';
    Object.assign(record, fields);
    record.timestamp = this.timestamp();
    record.uuid = uuid;
    record.isMeta = false;
    this.w.write(this.endRecord(record));
  }

  writeFileHistorySnapshot(messageId) {
    const backups = {};
    for (let i = this.rng.int(0, 4); i > 0; i--) {
      backups[`src/${this.rng.pick(DIRS)}/${this.rng.pick(WORDS)}.ts`] = {
        backupFileName: `${this.rng.hex(16)}@v${i}`, version: i, backupTime: this.timestamp(),
      };
    }
    this.w.write({
      type: 'file-history-snapshot', messageId,
      snapshot: { messageId, trackedFileBackups: backups, timestamp: this.timestamp() }, isSnapshotUpdate: false,
    });
  }

  writeUserPrompt(text, { root = false, uuid: promptUuid } = {}) {
    const { record, uuid } = this.beginRecord(promptUuid, { promptId: true });
    if (root) record.parentUuid = null;
    record.type = 'user';
    record.message = { role: 'user', content: text };
    record.uuid = uuid;
    record.timestamp = this.timestamp();
    if (!this.isSidechain) record.permissionMode = this.rng.weighted([['default', 6], ['acceptEdits', 3], ['plan', 1]]);
    this.w.write(this.endRecord(record));
    return uuid;
  }

  writeToolResult(call, result, sourceUuid) {
    const { record, uuid } = this.beginRecord(undefined, { promptId: true });
    record.parentUuid = sourceUuid; // a result hangs off the line holding its tool_use
    record.type = 'user';
    record.message = {
      role: 'user',
      content: [{ tool_use_id: call.id, type: 'tool_result', content: result.content, is_error: false }],
    };
    record.uuid = uuid;
    record.timestamp = this.timestamp();
    record.toolUseResult = result.toolUseResult;
    record.sourceToolAssistantUUID = sourceUuid;
    this.w.write(this.endRecord(record));
    this.pending += Math.round(result.chars / 3.6);
  }

  // --- token model ----------------------------------------------------------------------------

  pickModel() {
    // Main sessions now and then route a quick call to Haiku, as Claude Code does.
    if (!this.isSidechain && this.spec.mainModel !== 'haiku' && this.rng.chance(0.05)) return MODELS.haiku;
    return MODELS[this.spec.mainModel];
  }

  /** Usage for the next request, following how the prompt cache grows during a session. */
  nextUsage(outputTokens) {
    const { rng } = this;
    let cacheRead;
    let cacheWrite;
    if (this.context === 0 || this.context + this.pending > CONTEXT_LIMIT_TOKENS) {
      // Session start, or auto-compaction: system prompt read from cache, the rest written anew.
      cacheRead = rng.chance(0.7) ? rng.int(9_000, 16_000) : 0;
      cacheWrite = rng.int(6_000, 30_000);
    } else if (this.cacheCold) {
      // After a pause longer than the cache TTL only the shared system prompt is still cached.
      cacheRead = Math.min(this.context, rng.int(9_000, 16_000));
      cacheWrite = this.context - cacheRead + this.pending + rng.int(20, 400);
    } else {
      cacheRead = this.context;
      cacheWrite = this.pending + rng.int(20, 400);
    }
    this.context = cacheRead + cacheWrite;
    this.pending = outputTokens;
    this.cacheCold = false;

    const mode = this.spec.cacheMode;
    const share1h = mode === '1h' ? 1 : mode === '5m' ? 0 : rng.float();
    const cache1h = Math.round(cacheWrite * share1h);
    const input = rng.weighted([[() => rng.int(1, 6), 80], [() => rng.int(7, 60), 15], [() => rng.int(100, 4000), 5]])();
    return {
      input, output: outputTokens, cacheRead, cache5m: cacheWrite - cache1h, cache1h,
      webSearch: rng.chance(0.02) ? rng.int(1, 3) : 0,
      webFetch: rng.chance(0.01) ? 1 : 0,
    };
  }

  // --- assistant messages ---------------------------------------------------------------------

  /**
   * One API response written the way Claude Code streams it: one line per content block, all
   * sharing message.id and requestId. Earlier lines carry a placeholder output_tokens; the last
   * carries the final usage and stop_reason. In ~12% of responses of 3+ lines the last two both
   * do, as seen in real 2.1.114 files; the first line is always a placeholder, so keeping the first
   * snapshot undercounts and summing overcounts. Returns the uuid of each block's line.
   */
  writeAssistant(blocks, stopReason) {
    const { rng } = this;
    const model = this.pickModel();
    let output = rng.int(5, 60);
    for (const block of blocks) {
      if (block.type === 'thinking') output += block.thinking ? Math.round(block.thinking.length / 4) : rng.int(60, 1500);
      else if (block.type === 'text') output += Math.round(block.text.length / 4);
      else output += Math.round(JSON.stringify(block.input).length / 3.5) + 20;
    }
    const usage = this.nextUsage(output);
    const placeholder = Math.min(output - 1, rng.weighted([[() => rng.int(1, 12), 90], [() => rng.int(13, 90), 10]])());
    const messageId = `msg_01${rng.base62(22)}`;
    const requestId = `req_011C${rng.base62(20)}`;
    const finalFrom = blocks.length - (blocks.length > 2 && rng.chance(0.12) ? 2 : 1);
    const uuids = [];
    let day;
    this.time += rng.int(1_500, 12_000); // time to first token
    for (let i = 0; i < blocks.length; i++) {
      if (i > 0) this.time += rng.int(80, 4_000);
      const final = i >= finalFrom;
      // When two lines carry the final usage, the first of them dates the response (ccusage keeps
      // the first of equal snapshots); it matters only when they straddle midnight.
      if (i === finalFrom) day = this.timestamp().slice(0, 10);
      const message = {
        model, id: messageId, type: 'message', role: 'assistant', content: [blocks[i]],
        stop_reason: final ? stopReason : null, stop_sequence: null,
      };
      if (this.hasStopDetails) message.stop_details = null;
      message.usage = final ? finalUsage(usage) : partialUsage(usage, placeholder);
      const { record, uuid } = this.beginRecord();
      record.message = message;
      record.requestId = requestId;
      record.type = 'assistant';
      record.uuid = uuid;
      record.timestamp = this.timestamp();
      this.w.write(this.endRecord(record));
      uuids.push(uuid);
    }
    this.ledger.addResponse(model, usage, day);
    return uuids;
  }

  /** A locally generated error notice: model <synthetic>, zero usage, no requestId. */
  writeSyntheticError() {
    const { record, uuid } = this.beginRecord();
    record.type = 'assistant';
    record.uuid = uuid;
    this.time += this.rng.int(500, 30_000);
    record.timestamp = this.timestamp();
    record.message = {
      id: this.rng.uuid(), container: null, model: '<synthetic>', role: 'assistant', stop_reason: 'stop_sequence',
      stop_sequence: '', type: 'message',
      usage: {
        input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0,
        server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 }, service_tier: null,
        cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
        inference_geo: null, iterations: null, speed: null,
      },
      content: [{ type: 'text', text: 'API Error: Connection error.' }], context_management: null,
    };
    record.error = 'unknown';
    record.isApiErrorMessage = true;
    this.w.write(this.endRecord(record));
  }

  thinkingBlock() {
    const { rng, corpus } = this;
    const redacted = rng.chance(0.4);
    const thinking = redacted ? '' : proseText(rng, corpus, rng.logUniform(100, 4_000));
    const sigLength = rng.int(300, redacted ? 4_000 : 1_500);
    const sigStart = rng.int(0, corpus.signature.length - sigLength);
    return { type: 'thinking', thinking, signature: corpus.signature.slice(sigStart, sigStart + sigLength) };
  }

  textBlock(minChars, maxChars) {
    return { type: 'text', text: proseText(this.rng, this.corpus, this.rng.logUniform(minChars, maxChars)) };
  }

  /** One agentic step: optional thinking/text, 1-3 tool calls, then their results. */
  writeToolStep() {
    const { rng } = this;
    const blocks = [];
    const thinkingRate = this.spec.mainModel === 'haiku' ? 0.2 : 0.5;
    if (rng.chance(thinkingRate)) blocks.push(this.thinkingBlock());
    if (rng.chance(0.55)) blocks.push(this.textBlock(40, 400));
    const calls = [];
    const callCount = rng.weighted([[1, 80], [2, 15], [3, 5]]);
    for (let i = 0; i < callCount; i++) {
      const call = this.toolCall(this.isSidechain ? rng.weighted(TOOL_WEIGHTS.filter(([n]) => n !== 'Agent')) : rng.weighted(TOOL_WEIGHTS));
      calls.push(call);
      blocks.push(call.block);
    }
    const uuids = this.writeAssistant(blocks, 'tool_use');
    const firstCall = blocks.length - calls.length;
    for (let i = 0; i < calls.length; i++) {
      this.time += rng.weighted([[() => rng.int(20, 900), 70], [() => rng.int(900, 30_000), 25], [() => rng.int(30_000, 240_000), 5]])();
      this.writeToolResult(calls[i], calls[i].result(), uuids[firstCall + i]);
      if (!this.isSidechain && rng.chance(0.3)) {
        this.writeAttachment(hookAttachment(rng, `PostToolUse:${calls[i].name}`, 'PostToolUse', calls[i].id));
      }
    }
  }

  /** The closing answer of a turn: text only, stop_reason end_turn. */
  writeFinalAnswer() {
    const blocks = [];
    if (this.rng.chance(0.4)) blocks.push(this.thinkingBlock());
    blocks.push(this.textBlock(150, 3_000));
    this.writeAssistant(blocks, 'end_turn');
  }

  // --- tool calls -----------------------------------------------------------------------------

  /** A tool result size, trimmed near the end of the file so small files keep their target size. */
  resultChars() {
    return Math.min(drawResultChars(this.rng), Math.max(300, this.spec.size - this.w.bytes));
  }

  filePath() {
    return `${this.spec.cwd}/src/${this.rng.pick(DIRS)}/${this.rng.pick(WORDS)}.ts`;
  }

  /** A tool_use block plus a deferred result builder (results are sized when they are written). */
  toolCall(name) {
    const id = `toolu_01${this.rng.base62(22)}`;
    const call = { id, name };
    const block = (input, toolName = name) => ({ type: 'tool_use', id, name: toolName, input, caller: { type: 'direct' } });
    TOOL_CALLS[name](this, call, block);
    return call;
  }

  bashOutput(kind, chars) {
    const { rng, corpus } = this;
    switch (kind) {
      case 'log': return sliceLines(rng, corpus.log, chars).text;
      case 'code': return sliceLines(rng, corpus.code, chars).text;
      case 'status': return `On branch ${this.spec.gitBranch || 'main'}\nChanges not staged for commit:\n\tmodified:   src/${rng.pick(DIRS)}/${rng.pick(WORDS)}.ts\n`;
      case 'gitlog': {
        const out = [];
        for (let i = 0; i < 15; i++) out.push(`${rng.hex(7)} ${sentence(rng)}`);
        return out.join('\n');
      }
      default: {
        const out = [`total ${rng.int(8, 200)}`];
        for (let i = rng.int(3, 25); i > 0; i--) out.push(`-rw-r--r-- 1 dev dev ${rng.int(100, 40_000)} Mar ${rng.int(1, 28)} 10:${rng.int(10, 59)} ${rng.pick(WORDS)}.ts`);
        return out.join('\n');
      }
    }
  }

  // --- whole files ----------------------------------------------------------------------------

  writeSessionStart() {
    this.writeAttachment(hookAttachment(this.rng, 'SessionStart:startup', 'SessionStart', this.rng.uuid()));
    if (this.rng.chance(0.5)) {
      this.writeAttachment({ type: 'skill_listing', content: proseText(this.rng, this.corpus, this.rng.int(800, 4_000)) });
    }
  }

  /** A user turn: prompt, agentic steps until done (or the file is big enough), answer. */
  writeTurn(targetBytes) {
    const { rng } = this;
    const promptUuid = this.rng.uuid();
    this.promptId = this.rng.uuid();
    this.writeFileHistorySnapshot(promptUuid);
    this.writeUserPrompt(proseText(rng, this.corpus, rng.logUniform(30, 2_000)), { uuid: promptUuid });
    if (rng.chance(0.3)) this.writeAttachment(hookAttachment(rng, 'UserPromptSubmit', 'UserPromptSubmit', rng.uuid()));
    const turnStart = this.time;
    const steps = rng.geometric(6, 60);
    for (let i = 0; i < steps && this.w.bytes < targetBytes; i++) this.writeToolStep();
    if (rng.chance(0.003)) this.writeSyntheticError();
    else this.writeFinalAnswer();
    this.time += rng.int(50, 400);
    this.writeSystem({ subtype: 'turn_duration', durationMs: this.time - turnStart, messageCount: steps * 2 + 2 });
    if (rng.chance(0.2)) {
      this.writeSystem({
        subtype: 'stop_hook_summary', hookCount: 1, hookInfos: [{ command: 'node "${CLAUDE_PLUGIN_ROOT}/scripts/stop-hook.mjs"', durationMs: rng.int(40, 400) }],
        hookErrors: [], preventedContinuation: false, stopReason: '', hasOutput: false, level: 'suggestion', toolUseID: rng.uuid(),
      });
    }
    // Think time before the next prompt; a long pause lets the prompt cache expire.
    const pause = rng.weighted([[() => rng.int(10_000, 240_000), 70], [() => rng.int(240_000, 3_600_000), 25], [() => rng.int(3_600_000, 14 * 3_600_000), 5]])();
    this.time += pause;
    const ttl = this.spec.cacheMode === '5m' ? 300_000 : 3_600_000;
    if (pause > ttl) this.cacheCold = true;
  }

  writeMainSession() {
    this.writeSessionStart();
    do this.writeTurn(this.spec.size);
    while (this.w.bytes < this.spec.size);
  }

  /** Subagent files: one prompt from the parent (parentUuid null), then work until done. */
  writeSubagent() {
    this.promptId = this.rng.uuid();
    this.writeUserPrompt(proseText(this.rng, this.corpus, this.rng.logUniform(200, 3_000)), { root: true });
    while (this.w.bytes < this.spec.size) this.writeToolStep();
    this.writeFinalAnswer();
  }
}

// ---------------------------------------------------------------------------------------------
// Tool calls

/** Bash: a command from a realistic mix; its stdout is repeated in toolUseResult, as Claude Code does. */
function bashCall(s, call, block) {
  const { rng } = s;
  const [command, kind, description] = rng.pick(BASH_COMMANDS);
  call.block = block({ command, description });
  call.result = () => {
    const chars = kind === 'status' || kind === 'ls' || kind === 'gitlog' ? rng.int(80, 1_500) : s.resultChars();
    const stdout = s.bashOutput(kind, Math.round(chars / 2));
    return {
      content: stdout, chars,
      toolUseResult: { stdout, stderr: '', interrupted: false, isImage: false, noOutputExpected: false },
    };
  };
}

/** Read: numbered lines in the result, the raw file again in toolUseResult.file.content. */
function readCall(s, call, block) {
  const { rng, corpus } = s;
  const filePath = s.filePath();
  call.block = block({ file_path: filePath });
  call.result = () => {
    const chars = s.resultChars();
    const raw = sliceLines(rng, corpus.code, Math.round(chars / 2.1));
    const numbered = corpus.numbered.text.slice(corpus.numbered.offsets[raw.start], corpus.numbered.offsets[raw.end]);
    const numLines = raw.end - raw.start;
    return {
      content: numbered, chars,
      toolUseResult: {
        type: 'text',
        file: { filePath, content: raw.text, numLines, startLine: raw.start + 1, totalLines: raw.start + numLines + rng.int(0, 400) },
      },
    };
  };
}

/** Edit: a small patch, but toolUseResult carries the whole original file. */
function editCall(s, call, block) {
  const { rng, corpus } = s;
  const filePath = s.filePath();
  const oldString = sliceLines(rng, corpus.code, rng.int(40, 600)).text;
  const newString = `${oldString}${codeLine(rng)}\n`;
  call.block = block({ replace_all: false, file_path: filePath, old_string: oldString, new_string: newString });
  call.result = () => {
    const chars = s.resultChars();
    const original = sliceLines(rng, corpus.code, chars).text;
    const lines = oldString.split('\n');
    return {
      content: `The file ${filePath} has been updated successfully.`, chars,
      toolUseResult: {
        filePath, oldString, newString, originalFile: original,
        structuredPatch: [{
          oldStart: 12, oldLines: lines.length, newStart: 12, newLines: lines.length + 1,
          lines: [...lines.map((l) => `-${l}`), ...newString.split('\n').map((l) => `+${l}`)],
        }],
        userModified: false, replaceAll: false,
      },
    };
  };
}

/** Write: the file content sits in the tool_use input (a large assistant line) and again in the result. */
function writeCall(s, call, block) {
  const { rng, corpus } = s;
  const filePath = s.filePath();
  const content = sliceLines(rng, corpus.code, Math.min(rng.logUniform(300, 24 * KiB), Math.max(300, s.spec.size - s.w.bytes))).text;
  call.block = block({ file_path: filePath, content });
  call.result = () => ({
    content: `File created successfully at: ${filePath}`, chars: content.length,
    toolUseResult: { type: 'create', filePath, content, structuredPatch: [], originalFile: null },
  });
}

/** Grep in content mode: path:line:text matches. */
function grepCall(s, call, block) {
  const { rng, corpus } = s;
  const pattern = camel(rng);
  call.block = block({ pattern, path: `${s.spec.cwd}/src`, output_mode: 'content', '-n': true });
  call.result = () => {
    const chars = Math.round(s.resultChars() / 2);
    const lines = sliceLines(rng, corpus.code, chars).text.split('\n');
    const file = `src/${rng.pick(DIRS)}/${rng.pick(WORDS)}.ts`;
    const content = lines.map((l, i) => `${file}:${i + 1}:${l}`).join('\n');
    return { content, chars, toolUseResult: { mode: 'content', numFiles: 0, filenames: [], content, numLines: lines.length } };
  };
}

/** Glob: a list of paths. */
function globCall(s, call, block) {
  const { rng } = s;
  call.block = block({ pattern: rng.pick(['src/**/*.ts', '**/*.test.ts', 'src/**/*.{ts,tsx}', 'docs/**/*.md']) });
  call.result = () => {
    const filenames = [];
    for (let i = rng.int(1, 120); i > 0; i--) filenames.push(s.filePath());
    const content = filenames.join('\n');
    return { content, chars: content.length * 2, toolUseResult: { filenames, durationMs: rng.int(5, 400), numFiles: filenames.length, truncated: false } };
  };
}

/** TodoWrite: the todo list, old and new. */
function todoWriteCall(s, call, block) {
  const { rng } = s;
  const todos = [];
  for (let i = rng.int(2, 8); i > 0; i--) {
    const content = sentence(rng);
    todos.push({ content, status: rng.pick(['pending', 'in_progress', 'completed']), activeForm: content });
  }
  call.block = block({ todos });
  call.result = () => ({
    content: 'Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable',
    chars: 600,
    toolUseResult: { oldTodos: todos.slice(1), newTodos: todos },
  });
}

/** Agent (Task before 2.1.87): spawns a subagent; toolUseResult.usage is a double-counting trap. */
function agentCall(s, call, block) {
  const { rng, corpus } = s;
  const subagentType = rng.pick(['general-purpose', 'Explore', 'general-purpose']);
  const prompt = proseText(rng, corpus, rng.logUniform(300, 3_000));
  call.name = s.agentTool;
  call.block = block({ description: sentence(rng).slice(0, 60), prompt, subagent_type: subagentType }, s.agentTool);
  call.result = () => {
    const text = proseText(rng, corpus, rng.logUniform(500, 6_000));
    const agentId = s.pendingAgents.shift() ?? `a${rng.hex(16)}`;
    // The subagent's LAST call only; a tracker must not add these (reference §1.6).
    const last = { input: rng.int(1, 6), output: rng.int(100, 2_000), cacheRead: rng.int(5_000, 60_000), cache5m: rng.int(100, 3_000), cache1h: 0, webSearch: 0, webFetch: 0 };
    return {
      content: [{ type: 'text', text }], chars: text.length * 2,
      toolUseResult: {
        status: 'completed', prompt, agentId, agentType: subagentType, content: [{ type: 'text', text }],
        totalDurationMs: rng.int(5_000, 400_000),
        totalTokens: last.input + last.output + last.cacheRead + last.cache5m,
        totalToolUseCount: rng.int(1, 40),
        usage: finalUsage(last),
      },
    };
  };
}

/** WebFetch: a fetched page summary. */
function webFetchCall(s, call, block) {
  const { rng, corpus } = s;
  const url = `https://docs.example.com/${rng.pick(WORDS)}/${rng.pick(WORDS)}`;
  call.block = block({ url, prompt: sentence(rng) });
  call.result = () => {
    const result = proseText(rng, corpus, rng.logUniform(1_000, 20 * KiB));
    return {
      content: result, chars: result.length * 2,
      toolUseResult: { bytes: result.length * 3, code: 200, codeText: 'OK', result, durationMs: rng.int(300, 9_000), url },
    };
  };
}

/** Tool name -> builder of its tool_use block and (deferred) result. */
const TOOL_CALLS = {
  Bash: bashCall,
  Read: readCall,
  Edit: editCall,
  Write: writeCall,
  Grep: grepCall,
  Glob: globCall,
  TodoWrite: todoWriteCall,
  Agent: agentCall,
  WebFetch: webFetchCall,
};

function partialUsage(u, placeholder) {
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cache5m + u.cache1h,
    cache_read_input_tokens: u.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: u.cache5m, ephemeral_1h_input_tokens: u.cache1h },
    output_tokens: placeholder,
    service_tier: 'standard',
    inference_geo: 'not_available',
  };
}

/** The final line's usage; note the different key order from the partial snapshot (as in real files). */
function finalUsage(u) {
  const cacheCreation = { ephemeral_1h_input_tokens: u.cache1h, ephemeral_5m_input_tokens: u.cache5m };
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cache5m + u.cache1h,
    cache_read_input_tokens: u.cacheRead,
    output_tokens: u.output,
    server_tool_use: { web_search_requests: u.webSearch, web_fetch_requests: u.webFetch },
    service_tier: 'standard',
    cache_creation: cacheCreation,
    inference_geo: '',
    iterations: [{
      input_tokens: u.input, output_tokens: u.output, cache_read_input_tokens: u.cacheRead,
      cache_creation_input_tokens: u.cache5m + u.cache1h,
      cache_creation: { ephemeral_5m_input_tokens: u.cache5m, ephemeral_1h_input_tokens: u.cache1h }, type: 'message',
    }],
    speed: 'standard',
  };
}

function hookAttachment(rng, hookName, hookEvent, toolUseID) {
  const stdout = `Status set to busy: ${rng.pick(WORDS)}\n`;
  return {
    type: 'hook_success', hookName, toolUseID, hookEvent, content: stdout.trim(), stdout, stderr: '', exitCode: 0,
    command: '"${CLAUDE_PLUGIN_ROOT}/scripts/status.sh" busy', durationMs: rng.int(40, 1_500),
  };
}

/** Writes one planned file; returns its ledger, size and line count. */
function writeFile(file, spec, seed, stream) {
  const rng = new Random(seed, stream);
  const writer = new LineWriter(file);
  const ledger = new Ledger();
  const session = new SessionWriter(spec, rng, getCorpus(seed), writer, ledger);
  try {
    if (spec.kind === 'subagent') session.writeSubagent();
    else session.writeMainSession();
  } finally {
    writer.close();
  }
  return { ledger, bytes: writer.bytes, lines: writer.lines };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Generates a Claude Code projects tree under `dir` and writes `dir/expected.json`.
 * @param {{ dir: string, bytes: number | string, seed?: number, onProgress?: (done: number, total: number) => void }} options
 *   bytes: total size to aim for (a number, or a string like "200MB"); seed: defaults to 1.
 * @returns {object} the expected.json content
 */
export function generateClaudeProjects({ dir, bytes, seed = 1, onProgress }) {
  const requestedBytes = typeof bytes === 'string' ? parseSize(bytes) : bytes;
  const started = process.hrtime.bigint();
  fs.rmSync(path.join(dir, 'projects'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'expected.json'), { force: true });
  const plan = planDataset(requestedBytes, seed);
  const ledger = new Ledger();
  const sizes = [];
  let lines = 0;
  plan.files.forEach((spec, index) => {
    const result = writeFile(path.join(dir, relativeFilePath(spec)), spec, seed, index + 1);
    ledger.merge(result.ledger);
    sizes.push(result.bytes);
    lines += result.lines;
    onProgress?.(index + 1, plan.files.length);
  });
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  sizes.sort((a, b) => a - b);
  const expected = {
    generator: 'bench/generate.mjs',
    generatorVersion: GENERATOR_VERSION,
    seed,
    requestedBytes,
    bytes: totalBytes,
    files: sizes.length,
    sessionFiles: plan.files.filter((f) => f.kind === 'session').length,
    subagentFiles: plan.files.filter((f) => f.kind === 'subagent').length,
    projects: plan.projects.length,
    lines,
    countingRule: 'each API response (message.id + requestId) once, with its final usage; byDay by the UTC date of the first line carrying that final usage',
    fileSizes: { p50: percentile(sizes, 0.5), p90: percentile(sizes, 0.9), p99: percentile(sizes, 0.99), max: sizes[sizes.length - 1] },
    ...ledger.toJSON(),
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'expected.json'), `${JSON.stringify(expected, null, 2)}\n`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Not stored in expected.json, which stays byte-identical for the same size and seed.
  Object.defineProperty(expected, 'seconds', { value: seconds, enumerable: false });
  return expected;
}

/**
 * Writes a single main-session transcript of about `bytes` bytes (for hook benchmarks).
 * @param {{ file: string, bytes: number | string, seed?: number }} options
 * @returns {{ file: string, bytes: number, lines: number, sessionId: string, totals: object, byModel: object, byDay: object }}
 */
export function generateTranscript({ file, bytes, seed = 1 }) {
  const size = typeof bytes === 'string' ? parseSize(bytes) : bytes;
  const rng = new Random(seed, 0x7472);
  const startMs = WINDOW_START_MS + Math.floor(rng.float() * (WINDOW_DAYS - 7) * DAY_MS);
  const cwd = `${HOME}/work/${rng.pick(PROJECT_NAMES)}`;
  const spec = {
    kind: 'session', size, sessionId: rng.uuid(), project: { cwd, dir: encodeProjectDir(cwd) }, cwd, startMs,
    mainModel: 'opus', agentIds: [], ...sessionTraits(rng, startMs),
  };
  const result = writeFile(file, spec, seed, 0x7473);
  return { file, bytes: result.bytes, lines: result.lines, sessionId: spec.sessionId, ...result.ledger.toJSON() };
}

// ---------------------------------------------------------------------------------------------
// CLI

function main(argv) {
  const args = [...argv];
  let seed = 1;
  const seedAt = args.indexOf('--seed');
  if (seedAt !== -1) {
    seed = Number(args[seedAt + 1]);
    if (!Number.isInteger(seed)) throw new Error(`--seed needs an integer, got "${args[seedAt + 1]}"`);
    args.splice(seedAt, 2);
  }
  if (args.length !== 2) {
    console.error('usage: node bench/generate.mjs <dir> <size e.g. 200MB|1GB> [--seed N]');
    process.exitCode = 2;
    return;
  }
  const [dir, sizeText] = args;
  const bytes = parseSize(sizeText);
  let lastReport = 0;
  const expected = generateClaudeProjects({
    dir, bytes, seed,
    onProgress(done, total) {
      const now = Date.now();
      if (process.stderr.isTTY && (now - lastReport > 500 || done === total)) {
        lastReport = now;
        process.stderr.write(`\rgenerating: ${done}/${total} files`);
        if (done === total) process.stderr.write('\n');
      }
    },
  });
  const rate = expected.bytes / MiB / expected.seconds;
  console.log(`wrote ${formatMiB(expected.bytes)} in ${expected.files} files (${expected.subagentFiles} subagent), ` +
    `${expected.lines} lines, ${expected.totals.messages} responses, in ${expected.seconds.toFixed(1)} s (${rate.toFixed(0)} MiB/s)`);
  console.log(`file sizes: p50 ${(expected.fileSizes.p50 / KiB).toFixed(0)} KiB, p90 ${(expected.fileSizes.p90 / KiB).toFixed(0)} KiB, ` +
    `p99 ${formatMiB(expected.fileSizes.p99)}, max ${formatMiB(expected.fileSizes.max)}`);
  console.log(JSON.stringify({ totals: expected.totals }, null, 2));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`generate: ${error.message}`);
    process.exitCode = 2;
  }
}
