// Bench `aggregate` (registered in run.mjs): the team side at scale (issue 4, "Scale").
//
//   1. buildPartial over N generated summaries (objects, no git), in a child process;
//   2. readSummaries of a token-data branch holding BENCH_AGG_FILES summary files, in a child;
//   3. the bundled Action's `report` over a few repositories, full, then a night with 1% new files
//      and `previous-partial` (reuse of unchanged branches).
//
// The product code is bundled with esbuild first (scripts/bundle-options.mjs, like the CLI and the
// Action), into bench/.data/, so what runs is what ships, not tsx-transpiled sources.
// This file is also the child: `node bench/aggregate.mjs build|read ...` prints one JSON line.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(HERE), '..');
const DATA_DIR = path.join(REPO, 'bench', '.data');
const LIB_FILE = path.join(DATA_DIR, 'aggregate-lib.mjs');
const ACTION_FILE = path.join(DATA_DIR, 'action-index.mjs');
const MiB = 1024 * 1024;

export const AGG_TARGETS = { buildSeconds: 60, buildRssMiB: 2048, readFilesPerSecond: 20_000, nightRatio: 0.1 };
const REPOSITORIES = 50;
const DEVELOPERS = 200;
const NIGHT_REPOSITORIES = 10; // the Action bench's repositories (BENCH_AGG_FILES spread over them)
const NIGHT_CHANGED = 2; // of which this many get tonight's 1% new files
const YEAR_START = Date.UTC(2026, 0, 1);

// ---------------------------------------------------------------------------------------------
// Generator: deterministic, schema-valid `tokenledger.session/1` objects

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex8 = (rand) => Math.floor(rand() * 4294967296).toString(16).padStart(8, '0');
const hexN = (rand, n) => Array.from({ length: Math.ceil(n / 8) }, () => hex8(rand)).join('').slice(0, n);
const TOTALS = new WeakMap();
const pick = (rand, weighted) => {
  let total = TOTALS.get(weighted);
  if (total === undefined) TOTALS.set(weighted, (total = weighted.reduce((s, [, w]) => s + w, 0)));
  let x = rand() * total;
  for (const [value, w] of weighted) if ((x -= w) < 0) return value;
  return weighted[weighted.length - 1][0];
};
/** Heavy-tailed positive integer around `median` (log-normal). */
const logNormal = (rand, median, sigma) => {
  const u = Math.max(rand(), 1e-12);
  const v = rand();
  return Math.max(1, Math.round(median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v))));
};

// USD per million tokens: input, output, cache write 5m, cache write 1h, cache read.
const PRICES = {
  'claude-opus-4-6': [5, 25, 6.25, 10, 0.5],
  'claude-sonnet-4-6': [3, 15, 3.75, 6, 0.3],
  'claude-haiku-4-5-20251001': [1, 5, 1.25, 2, 0.1],
  'gpt-5.1-codex': [1.25, 10, 0, 0, 0.125],
  'gpt-5.1-codex-mini': [0.25, 2, 0, 0, 0.025],
};
const TOOLS = {
  'claude-code': [['Read', 30], ['Bash', 25], ['Edit', 20], ['Grep', 12], ['Glob', 6], ['Write', 5], ['TodoWrite', 5], ['Task', 2], ['WebFetch', 1], ['mcp__github__create_pull_request', 1]],
  codex: [['shell', 50], ['apply_patch', 30], ['update_plan', 8], ['exec_command', 12]],
};
const TOOL_PHASE = { Read: 'exploration', Grep: 'exploration', Glob: 'exploration', WebFetch: 'exploration', TodoWrite: 'planning', update_plan: 'planning', Edit: 'execution', Write: 'execution', apply_patch: 'execution', Task: 'delegation' };
const PHASES = ['exploration', 'planning', 'execution', 'testing', 'git', 'delegation', 'other'];
const STRATEGIES = ['index-first', 'plan-mode', 'small-prs', 'tdd'];

function tokensOf(rand, scale, codex) {
  const t = {
    input: logNormal(rand, 2_000 * scale, 1.0),
    output: logNormal(rand, 8_000 * scale, 1.0),
    cacheWrite5m: codex ? 0 : logNormal(rand, 30_000 * scale, 1.0),
    cacheWrite1h: codex || rand() < 0.5 ? 0 : logNormal(rand, 20_000 * scale, 1.0),
    cacheRead: logNormal(rand, 600_000 * scale, 1.2),
  };
  return { ...t, total: t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead };
}
const costOf = (model, t) => {
  const p = PRICES[model];
  return Math.round((t.input * p[0] + t.output * p[1] + t.cacheWrite5m * p[2] + t.cacheWrite1h * p[3] + t.cacheRead * p[4])) / 1e6;
};
const zeroTokens = () => ({ input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, total: 0 });
const addTokens = (a, b) => { for (const k of Object.keys(a)) a[k] += b[k]; return a; };
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** A start or end time as capture writes it by default (`timeResolution: "hour"`, summary/summarize.ts's roundTime). */
const hourOf = (ms) => iso(Math.floor(ms / 3_600_000) * 3_600_000);

/** The fixed population: 200 developers (id, repositories they work in, their agent). */
function population(seed) {
  const rand = mulberry32(seed ^ 0x9e3779b9);
  const repoWeights = Array.from({ length: REPOSITORIES }, (_, r) => [r, 1 / (r + 1) ** 0.8]);
  const developers = Array.from({ length: DEVELOPERS }, () => ({
    id: `dev_${hexN(rand, 24)}`,
    repos: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, repoWeights)),
    codexShare: rand() < 0.3 ? 0.6 : 0.1,
    branches: Array.from({ length: 4 }, () => hexN(rand, 24)),
    weight: 0.2 + rand() ** 2 * 5,
  }));
  return { developers, devWeights: developers.map((d, i) => [i, d.weight]) };
}

/**
 * Summary `index` of the data set `seed` (independent of every other index, so any slice can be
 * generated alone). `day` (0–364 of 2026) overrides the start day. Returns { repository, summary }.
 */
export function makeGenerator(seed) {
  const pop = population(seed);
  return function generate(index, day) {
    const rand = mulberry32(Math.imul(seed + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
    const dev = pop.developers[pick(rand, pop.devWeights)];
    const repository = dev.repos[Math.floor(rand() * dev.repos.length)];
    const codex = rand() < dev.codexShare;
    let d = day ?? Math.floor(rand() * 365);
    if (day === undefined && [3, 4].includes((d + 4) % 7) && rand() < 0.8) d = (d + 2) % 365; // quieter weekends (2026-01-01 is a Thursday)
    const start = YEAR_START + d * 86_400_000 + Math.floor((7 + rand() * 12) * 3_600_000);
    const duration = logNormal(rand, 1_500, 1.1);
    const modelNames = codex
      ? [rand() < 0.8 ? 'gpt-5.1-codex' : 'gpt-5.1-codex-mini']
      : [rand() < 0.45 ? 'claude-opus-4-6' : 'claude-sonnet-4-6', ...(rand() < 0.35 ? ['claude-haiku-4-5-20251001'] : [])];
    const models = modelNames.map((model, m) => {
      const tokens = tokensOf(rand, m === 0 ? 1 : 0.15, codex);
      return { model, requests: logNormal(rand, m === 0 ? 40 : 8, 0.9), tokens, costUSD: costOf(model, tokens) };
    });
    const tokens = models.reduce((sum, m) => addTokens(sum, m.tokens), zeroTokens());
    const costUSD = Math.round(models.reduce((s, m) => s + m.costUSD, 0) * 1e6) / 1e6;
    const tools = {};
    const calls = logNormal(rand, 35, 0.9);
    for (let c = 0; c < calls; c++) {
      const tool = pick(rand, TOOLS[codex ? 'codex' : 'claude-code']);
      tools[tool] = (tools[tool] ?? 0) + 1;
    }
    const phaseCalls = Object.fromEntries(PHASES.map((p) => [p, 0]));
    for (const [tool, n] of Object.entries(tools)) {
      const shell = ['Bash', 'shell', 'exec_command'].includes(tool);
      const phase = TOOL_PHASE[tool] ?? (shell ? (rand() < 0.3 ? 'testing' : rand() < 0.3 ? 'git' : 'exploration') : 'other');
      phaseCalls[phase] += n;
    }
    const phases = {};
    for (const phase of PHASES) {
      const share = phaseCalls[phase] / calls;
      const t = Object.fromEntries(['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'].map((k) => [k, Math.floor(tokens[k] * share)]));
      t.total = t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
      phases[phase] = { toolCalls: phaseCalls[phase], tokens: t, costUSD: Math.round(costUSD * share * 1e6) / 1e6 };
    }
    const sub = models.length > 1 ? models[1] : null;
    const commits = rand() < 0.35 ? Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({ sha: hexN(rand, 40), added: logNormal(rand, 60, 1.2), removed: logNormal(rand, 20, 1.2) })) : [];
    const series = Array.from({ length: Math.min(12, Math.ceil(duration / 600)) }, (_, s) => ({
      minute: s * 10, input: Math.floor(tokens.input / 12), output: Math.floor(tokens.output / 12),
      cacheWrite5m: Math.floor(tokens.cacheWrite5m / 12), cacheWrite1h: Math.floor(tokens.cacheWrite1h / 12), cacheRead: Math.floor(tokens.cacheRead / 12),
    }));
    const summary = {
      schema: 'tokenledger.session/1',
      parser: '0.1.0',
      priceTable: '2026-05-01',
      capturedBy: rand() < 0.9 ? 'hook' : 'sweep',
      id: `ses_${hexN(rand, 16)}${(index >>> 0).toString(16).padStart(8, '0')}`, // index in the id: unique by construction
      agent: codex ? 'codex' : 'claude-code',
      agentVersion: codex ? '0.63.0' : '2.1.30',
      entrypoint: 'cli',
      developer: rand() < 0.97 ? dev.id : null,
      branch: dev.branches[Math.floor(rand() * dev.branches.length)],
      startedAt: hourOf(start),
      endedAt: hourOf(start + duration * 1000),
      durationSeconds: duration,
      activeSeconds: Math.floor(duration * (0.4 + rand() * 0.5)),
      tokens,
      reasoningTokens: codex ? Math.floor(tokens.output * 0.4) : 0,
      webSearchRequests: tools.WebFetch ? 1 : 0,
      costUSD,
      costComplete: true,
      unpricedModels: [],
      models,
      requests: models.reduce((s, m) => s + m.requests, 0),
      userTurns: logNormal(rand, 6, 0.8),
      tools,
      phases,
      subagents: sub ? { count: 1 + Math.floor(rand() * 3), requests: sub.requests, tokens: { ...sub.tokens }, costUSD: sub.costUSD } : { count: 0, requests: 0, tokens: zeroTokens(), costUSD: 0 },
      series,
      commits,
      strategies: rand() < 0.15 ? [STRATEGIES[Math.floor(rand() * STRATEGIES.length)]] : [],
    };
    return { repository, summary };
  };
}

const summaryPath = (s) => `sessions/${s.startedAt.slice(0, 4)}/${s.startedAt.slice(5, 7)}/${s.startedAt.slice(8, 10)}/${s.id}.json`;
const repoName = (r) => `acme/repo-${String(r).padStart(2, '0')}`;

// ---------------------------------------------------------------------------------------------
// Child processes (what is measured)

async function loadLib(file) {
  return import(pathToFileURL(file).href);
}

async function childBuild([lib, n, seed]) {
  const { PartialBuilder, sessionSummarySchema, writePartialFile } = await loadLib(lib);
  const generate = makeGenerator(Number(seed));
  // Summaries are handed over one at a time and let go, as readSummaries' onSummary hands them
  // from the branch: only the time inside the builder is buildPartial's; generating is setup.
  let generateMs = 0;
  let buildMs = 0;
  let expectedTokens = 0;
  const builder = new PartialBuilder({ timezone: 'Europe/Berlin', builtBy: 'bench' });
  const feeds = new Map();
  for (let i = 0; i < Number(n); i++) {
    const t0 = performance.now();
    const generated = generate(i);
    const repository = generated.repository;
    // As readSummaries hands them over: parsed from JSON text, every string its own copy.
    const summary = JSON.parse(JSON.stringify(generated.summary));
    if (i < 2000) sessionSummarySchema.parse(summary); // a sample is schema-checked (not the timed part)
    expectedTokens += summary.tokens.total;
    const name = repoName(repository);
    const t1 = performance.now();
    let feed = feeds.get(name);
    if (!feed) feeds.set(name, (feed = builder.source(name, 'refs/heads/token-data', null)));
    feed.addSummary(summary);
    const t2 = performance.now();
    generateMs += t1 - t0;
    buildMs += t2 - t1;
  }
  const t3 = performance.now();
  const partial = builder.finish();
  buildMs += performance.now() - t3;
  const rssAfter = process.memoryUsage().rss;
  // The Action writes the partial a row per line (writePartialFile): timed, and its size.
  const partialFile = path.join(DATA_DIR, 'bench-aggregate-partial.json');
  const t4 = performance.now();
  let stringifySeconds = null;
  let partialMiB = 0;
  let stringifyError = null;
  try {
    await writePartialFile(partialFile, partial);
    stringifySeconds = (performance.now() - t4) / 1000;
    partialMiB = fs.statSync(partialFile).size / MiB;
  } catch (error) {
    stringifyError = String(error.message);
  } finally {
    fs.rmSync(partialFile, { force: true });
  }
  process.stdout.write(`${JSON.stringify({
    generateSeconds: generateMs / 1000, buildSeconds: buildMs / 1000, stringifySeconds, stringifyError, partialMiB,
    rssAfterBuildMiB: rssAfter / MiB,
    repositories: feeds.size, sessions: partial.sessions.length, daily: partial.daily.length, duplicateSessions: partial.duplicateSessions,
    expectedTokens, partialTokens: partial.sessions.reduce((s, r) => s + r.tokens.total, 0),
  })}\n`);
}

async function childRead([lib, repoDir]) {
  const { readSummaries, sessionSummarySchema, compiledCheck } = await loadLib(lib);
  const t0 = performance.now();
  const contents = await readSummaries(repoDir, 'refs/heads/token-data');
  const readSeconds = (performance.now() - t0) / 1000;
  // Where the time goes: git alone (ls-tree + cat-file --batch with the reader's delta-base cache,
  // output discarded) and the reader's compiled schema check alone, each timed after the read.
  const t1 = performance.now();
  const list = spawnSync('git', ['ls-tree', '-r', '--object-only', 'refs/heads/token-data'], { cwd: repoDir, maxBuffer: 1024 * MiB });
  const cat = spawnSync('git', ['-c', 'core.deltaBaseCacheLimit=1g', 'cat-file', '--batch', '--buffer'], { cwd: repoDir, input: list.stdout, maxBuffer: 4096 * MiB });
  const gitSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const texts = contents.summaries.map((s) => JSON.stringify(s.summary));
  const t3 = performance.now();
  for (const text of texts) JSON.parse(text);
  const parseSeconds = (performance.now() - t3) / 1000;
  const check = compiledCheck(sessionSummarySchema);
  check(contents.summaries[0]?.summary); // compiling is not the per-file cost
  const t4 = performance.now();
  for (const s of contents.summaries) check(s.summary);
  const schemaSeconds = (performance.now() - t4) / 1000;
  process.stdout.write(`${JSON.stringify({
    readSeconds, files: contents.summaries.length + contents.invalid.length, valid: contents.summaries.length, invalid: contents.invalid.length,
    gitSeconds, gitBytesMiB: cat.stdout.length / MiB, parseSeconds, schemaSeconds, stringifySetup: (t3 - t2) / 1000,
  })}\n`);
}

// ---------------------------------------------------------------------------------------------
// Setup helpers (not measured)

function git(cwd, args, options = {}) {
  const child = spawnSync('git', args, { cwd, encoding: 'utf8', env: options.env, stdio: options.stdio, maxBuffer: 256 * MiB });
  if (child.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${(child.stderr || child.error?.message || '').toString().trim()}`);
  return (child.stdout ?? '').toString().trim();
}

/**
 * One `git fast-import` pass: a commit on `ref` (on top of `parent` when given) adding `files`
 * ([path, text] pairs) inline. The stream goes through a temp file, so memory stays small.
 */
function fastImport(gitDir, ref, files, { parent = null, message = 'bench data', when = 1767225600 } = {}) {
  const streamFile = path.join(gitDir, 'bench-fast-import.stream');
  const fd = fs.openSync(streamFile, 'w');
  const msg = Buffer.from(message);
  let chunk = `commit ${ref}\nauthor Bench <bench@example.com> ${when} +0000\ncommitter Bench <bench@example.com> ${when} +0000\ndata ${msg.length}\n${message}\n${parent ? `from ${parent}\n` : ''}`;
  let count = 0;
  for (const [file, text] of files) {
    chunk += `M 100644 inline ${file}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
    count++;
    if (chunk.length > 4 * MiB) { fs.writeSync(fd, chunk); chunk = ''; }
  }
  fs.writeSync(fd, `${chunk}\n`);
  fs.closeSync(fd);
  const input = fs.openSync(streamFile, 'r');
  const child = spawnSync('git', ['fast-import', '--quiet'], { cwd: gitDir, stdio: [input, 'ignore', 'pipe'], encoding: 'utf8' });
  fs.closeSync(input);
  fs.rmSync(streamFile);
  if (child.status !== 0) throw new Error(`git fast-import failed: ${child.stderr}`);
  return { commit: git(gitDir, ['rev-parse', ref]), files: count };
}

function* summaryFiles(generate, from, to, pickRepo, day) {
  for (let i = from; i < to; i++) {
    const { summary } = generate(i, day);
    if (pickRepo && !pickRepo(i)) continue;
    yield [summaryPath(summary), `${JSON.stringify(summary, null, 2)}\n`];
  }
}

async function bundle() {
  const { build } = await import('esbuild');
  const { nodeBundle } = await import(pathToFileURL(path.join(REPO, 'scripts', 'bundle-options.mjs')).href);
  fs.mkdirSync(DATA_DIR, { recursive: true });
  await build({
    ...nodeBundle,
    stdin: {
      contents: "export { PartialBuilder } from './src/aggregate/build.ts';\nexport { writePartialFile } from './src/aggregate/partial-file.ts';\nexport { readSummaries } from './src/ledger/read.ts';\nexport { sessionSummarySchema } from './src/summary/schema.ts';\nexport { compiledCheck } from './src/compiled-check.ts';\n",
      resolveDir: REPO, loader: 'ts', sourcefile: 'bench-aggregate-entry.ts',
    },
    outfile: LIB_FILE,
    minify: true,
  });
  const action = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build-action.mjs'), ACTION_FILE], { cwd: REPO, encoding: 'utf8' });
  if (action.status !== 0) throw new Error(`bundling the Action failed: ${action.stderr}`);
  const dist = path.join(REPO, 'dist', 'index.mjs');
  return { sameAsDist: fs.existsSync(dist) && fs.readFileSync(dist).equals(fs.readFileSync(ACTION_FILE)) };
}

function int(env, name, fallback) {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${env[name]}"`);
  return value;
}

function parseChild(run) {
  if (run.error) return { error: run.error };
  try {
    return JSON.parse(run.stdout.trim().split('\n').pop());
  } catch {
    return { error: `child printed no JSON: ${run.stdout.slice(0, 200)}` };
  }
}

// ---------------------------------------------------------------------------------------------
// The bench

/** `h` holds run.mjs's helpers: measure, table, targetRow, fmtRss, fmtInt. */
export async function benchAggregate(ctx, h) {
  const sessions = int(process.env, 'BENCH_AGG_SESSIONS', 1_000_000);
  const fileCount = int(process.env, 'BENCH_AGG_FILES', 100_000);
  const seed = ctx.config.seed;
  const env = { PATH: process.env.PATH, HOME: ctx.emptyHome, TZ: 'UTC', GIT_CONFIG_NOSYSTEM: '1' };
  const checks = [];
  const check = (name, ok, detail = '') => { checks.push({ name, ok, detail }); console.log(`  ${ok ? 'ok      ' : 'MISMATCH'} aggregate ${name}${ok ? '' : `: ${detail}`}`); };
  const rows = [];
  const targets = [];

  console.log('aggregate: bundling buildPartial/readSummaries and the Action with esbuild into bench/.data/');
  const bundled = await bundle();
  const generate = makeGenerator(seed);

  // 1. buildPartial over N summaries ----------------------------------------------------------
  console.log(`aggregate: buildPartial over ${h.fmtInt(sessions)} generated summaries (child process)`);
  const buildRun = h.measure(ctx, process.execPath, [HERE, 'build', LIB_FILE, String(sessions), String(seed)], env);
  const b = parseChild(buildRun);
  if (b.error) check('buildPartial child ran', false, b.error);
  else {
    console.log(`  generate ${b.generateSeconds.toFixed(1)} s, buildPartial ${b.buildSeconds.toFixed(1)} s, child ${buildRun.wall.toFixed(1)} s, ${h.fmtRss(buildRun.rssKiB)}`);
    check('partial written to its file (writePartialFile, as the Action writes partial-file)', !b.stringifyError, `${b.stringifyError}`);
    check('buildPartial: every session kept, tokens = generator total', b.sessions === sessions && b.partialTokens === b.expectedTokens && b.duplicateSessions === 0,
      `${b.sessions} sessions, ${b.partialTokens} vs ${b.expectedTokens} tokens, ${b.duplicateSessions} duplicates`);
    rows.push([`buildPartial, ${h.fmtInt(sessions)} summaries (${b.repositories} repositories, ${DEVELOPERS} developers, 2026)`, `${b.buildSeconds.toFixed(2)} s`,
      `child ${buildRun.wall.toFixed(1)} s = generate ${b.generateSeconds.toFixed(1)} s + buildPartial + ` + (b.stringifyError
        ? `writing the partial file FAILED (${b.stringifyError})`
        : `writePartialFile ${b.stringifySeconds.toFixed(1)} s (${b.partialMiB.toFixed(0)} MiB, a row per line)`),
      `${h.fmtRss(buildRun.rssKiB)} (RSS ${b.rssAfterBuildMiB.toFixed(0)} MiB after buildPartial, before writing)`]);
    targets.push(h.targetRow(h.fmtInt(sessions), 'buildPartial wall (in the child)', b.buildSeconds, `${b.buildSeconds.toFixed(1)} s`, AGG_TARGETS.buildSeconds, `${AGG_TARGETS.buildSeconds} s`));
  }
  targets.push(h.targetRow(h.fmtInt(sessions), 'peak RSS of the child (generate, build, write the partial)', buildRun.rssKiB === null ? null : buildRun.rssKiB / 1024, h.fmtRss(buildRun.rssKiB), AGG_TARGETS.buildRssMiB, '2 GiB'));

  // 2. readSummaries of a branch with fileCount files ----------------------------------------
  const readRepo = path.join(ctx.tmpRoot, 'agg-read.git');
  git(ctx.tmpRoot, ['init', '-q', '--bare', readRepo], { env });
  let t = performance.now();
  const imported = fastImport(readRepo, 'refs/heads/token-data', summaryFiles(generate, 0, fileCount));
  const importSeconds = (performance.now() - t) / 1000;
  const packMiB = fs.readdirSync(path.join(readRepo, 'objects', 'pack')).reduce((s, f) => s + fs.statSync(path.join(readRepo, 'objects', 'pack', f)).size, 0) / MiB;
  console.log(`aggregate: ${h.fmtInt(imported.files)} files on token-data by one git fast-import in ${importSeconds.toFixed(1)} s (${packMiB.toFixed(0)} MiB pack); readSummaries (child)`);
  const readRun = h.measure(ctx, process.execPath, [HERE, 'read', LIB_FILE, readRepo], env);
  const r = parseChild(readRun);
  if (r.error) check('readSummaries child ran', false, r.error);
  else {
    const rate = r.files / r.readSeconds;
    console.log(`  readSummaries ${r.readSeconds.toFixed(2)} s (${rate.toFixed(0)} files/s), child ${readRun.wall.toFixed(1)} s, ${h.fmtRss(readRun.rssKiB)}`);
    check('readSummaries: every file read and valid', r.valid === fileCount && r.invalid === 0, `${r.valid} valid, ${r.invalid} invalid of ${fileCount}`);
    rows.push([`readSummaries, ${h.fmtInt(r.files)} files on one branch (${packMiB.toFixed(0)} MiB pack)`, `${r.readSeconds.toFixed(2)} s = ${h.fmtInt(Math.round(rate))} files/s`,
      `child ${readRun.wall.toFixed(1)} s; alone, after it: git ls-tree + cat-file --batch ${r.gitSeconds.toFixed(2)} s (${r.gitBytesMiB.toFixed(0)} MiB), JSON.parse ${r.parseSeconds.toFixed(2)} s, compiled schema check ${r.schemaSeconds.toFixed(2)} s`,
      h.fmtRss(readRun.rssKiB)]);
    targets.push({ size: h.fmtInt(r.files), target: 'readSummaries files/s (in the child)', value: `${h.fmtInt(Math.round(rate))} files/s`,
      limit: `≥ ${h.fmtInt(AGG_TARGETS.readFilesPerSecond)} files/s`, result: rate >= AGG_TARGETS.readFilesPerSecond ? 'PASS' : 'FAIL' });
  }
  fs.rmSync(readRepo, { recursive: true, force: true });

  // 3. The nightly Action: full run, then 1% new files with previous-partial ----------------
  const nightRoot = path.join(ctx.tmpRoot, 'agg-night');
  fs.mkdirSync(nightRoot);
  const remotes = [];
  const tips = [];
  t = performance.now();
  for (let k = 0; k < NIGHT_REPOSITORIES; k++) {
    const remote = path.join(nightRoot, `repo-${k}.git`);
    git(nightRoot, ['init', '-q', '--bare', '-b', 'main', remote], { env });
    fastImport(remote, 'refs/heads/main', [['README.md', '# bench\n']], { message: 'first' });
    tips.push(fastImport(remote, 'refs/heads/token-data', summaryFiles(generate, 0, fileCount, (i) => i % NIGHT_REPOSITORIES === k)).commit);
    remotes.push(remote);
  }
  const newFiles = Math.max(1, Math.round(fileCount / 100));
  console.log(`aggregate: ${NIGHT_REPOSITORIES} repositories, ${h.fmtInt(fileCount)} files together, set up in ${((performance.now() - t) / 1000).toFixed(1)} s; the Action, full run`);
  const runAction = (name, inputs) => {
    const dir = path.join(nightRoot, name);
    for (const sub of ['workspace', 'temp', 'home']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md'), event: path.join(dir, 'event.json') };
    fs.writeFileSync(files.output, '');
    fs.writeFileSync(files.summary, '');
    fs.writeFileSync(files.event, JSON.stringify({ schedule: '17 3 * * *', repository: { full_name: 'acme/app' } }));
    const actionEnv = {
      PATH: process.env.PATH, HOME: path.join(dir, 'home'), GIT_CONFIG_NOSYSTEM: '1', TZ: 'UTC',
      ...Object.fromEntries(Object.entries({ command: 'report', repositories: remotes.join('\n'), timezone: 'UTC', 'site-dir': 'public', ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
      GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'schedule', GITHUB_EVENT_PATH: files.event, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_REPOSITORY: 'acme/app', GITHUB_WORKSPACE: path.join(dir, 'workspace'), RUNNER_TEMP: path.join(dir, 'temp'),
    };
    const run = h.measure(ctx, process.execPath, [ACTION_FILE], actionEnv, { cwd: path.join(dir, 'workspace') });
    if (!run.error && /^::error/m.test(run.stdout)) run.error = run.stdout.split('\n').find((l) => l.startsWith('::error'));
    const partialFile = path.join(dir, 'workspace', 'tokenledger-partial.json'); // the partial-file input's default
    const partial = !run.error && fs.existsSync(partialFile) ? JSON.parse(fs.readFileSync(partialFile, 'utf8')) : null;
    const reused = (run.stdout.match(/sessions reused without reading the branch/g) ?? []).length;
    // The Action's own log line: fetch, read, previous partial and build, before the site.
    const aggregated = /sessions aggregated in ([\d.]+) s \(reading the previous partial ([\d.]+) s\)/.exec(run.stdout);
    run.aggregateSeconds = aggregated ? Number(aggregated[1]) : null;
    run.previousSeconds = aggregated ? Number(aggregated[2]) : null;
    console.log(`  ${name}: ${run.wall.toFixed(2)} s, ${h.fmtRss(run.rssKiB)}${run.error ? `  FAILED ${run.error.slice(0, 300)}` : ''}${partial ? `, ${partial.sessions.length} sessions, ${reused} repositories reused` : ''}`);
    return { run, partial, partialFile, reused };
  };
  // A real nightly keeps its git-cache (actions/cache): the full run primes it, the night uses it.
  const gitCache = path.join(nightRoot, 'git-cache');
  const full = runAction('full', { 'git-cache': gitCache });
  // Tonight: 1% new files, on the last day of the year, in NIGHT_CHANGED of the repositories.
  const previous = path.join(nightRoot, 'previous-partial.json');
  if (full.partial) fs.copyFileSync(full.partialFile, previous);
  for (let k = 0; k < NIGHT_CHANGED; k++) {
    fastImport(remotes[k], 'refs/heads/token-data', summaryFiles(generate, fileCount, fileCount + newFiles, (i) => i % NIGHT_CHANGED === k, 364), { parent: tips[k], message: 'tonight' });
  }
  const night = runAction('night', { 'previous-partial': previous, 'git-cache': gitCache });
  const fullAgain = runAction('full-tonight', {}); // the same night without the cache, as a check
  const sumTokens = (p) => p.sessions.reduce((s, row) => s + row.tokens.total, 0);
  if (full.partial && night.partial && fullAgain.partial) {
    check('Action: full run holds every file', full.partial.sessions.length === fileCount, `${full.partial.sessions.length} of ${fileCount}`);
    check(`night with previous-partial = full run of the same night (sessions, tokens); ${NIGHT_REPOSITORIES - NIGHT_CHANGED} repositories reused`,
      night.partial.sessions.length === fileCount + newFiles && night.partial.sessions.length === fullAgain.partial.sessions.length && sumTokens(night.partial) === sumTokens(fullAgain.partial) && night.reused === NIGHT_REPOSITORIES - NIGHT_CHANGED,
      `${night.partial.sessions.length} vs ${fullAgain.partial.sessions.length} sessions, reused ${night.reused}`);
  } else check('Action runs', false, [full, night, fullAgain].map((x) => x.run.error).filter(Boolean).join(' / ').slice(0, 400));
  const aggregation = (run) => (run.aggregateSeconds === null || run.aggregateSeconds === undefined ? 'aggregation not logged' : `aggregation ${run.aggregateSeconds.toFixed(1)} s (previous partial ${run.previousSeconds.toFixed(1)} s), then site and partial file`);
  rows.push([`Action report, full: ${NIGHT_REPOSITORIES} repositories, ${h.fmtInt(fileCount)} files (empty git-cache)`, `${full.run.wall.toFixed(2)} s`, `fetch + readSummaries of every branch + build: ${aggregation(full.run)}`, h.fmtRss(full.run.rssKiB)]);
  rows.push([`Action report, night: +${h.fmtInt(newFiles)} files (1%) in ${NIGHT_CHANGED} of ${NIGHT_REPOSITORIES} repositories, previous-partial and git-cache`, `${night.run.wall.toFixed(2)} s`,
    `${night.reused} unchanged branches reused; of ${NIGHT_CHANGED} moved branches only the new files read; ${aggregation(night.run)}`, h.fmtRss(night.run.rssKiB)]);
  rows.push(['Action report, the same night without previous-partial or git-cache (check)', `${fullAgain.run.wall.toFixed(2)} s`, `night / this = ${(night.run.wall / fullAgain.run.wall).toFixed(2)}×`, h.fmtRss(fullAgain.run.rssKiB)]);
  const nightRatio = full.run.error || night.run.error ? null : night.run.wall / full.run.wall;
  targets.push(h.targetRow(`${h.fmtInt(fileCount)} + 1%`, 'night with previous-partial / full run, wall of the whole job (site included)', nightRatio, nightRatio === null ? 'n/a' : `${nightRatio.toFixed(2)}×`, AGG_TARGETS.nightRatio, AGG_TARGETS.nightRatio.toFixed(2)));
  const aggregationRatio = full.run.aggregateSeconds && night.run.aggregateSeconds !== null && night.run.aggregateSeconds !== undefined ? night.run.aggregateSeconds / full.run.aggregateSeconds : null;
  targets.push(h.targetRow(`${h.fmtInt(fileCount)} + 1%`, 'night / full run, aggregation only (fetch, read, previous partial, build)', aggregationRatio, aggregationRatio === null ? 'n/a' : `${aggregationRatio.toFixed(2)}×`, AGG_TARGETS.nightRatio, AGG_TARGETS.nightRatio.toFixed(2)));
  fs.rmSync(nightRoot, { recursive: true, force: true });

  const markdown = [
    `N = ${h.fmtInt(sessions)} summaries for buildPartial (\`BENCH_AGG_SESSIONS\`), ${h.fmtInt(fileCount)} files for the branch and the Action (\`BENCH_AGG_FILES\`), seed ${seed}.`,
    h.table(['Measured', 'Wall', 'Detail', 'Peak RSS'], rows),
    h.table(['Data', 'Target', 'Value', 'Limit', 'Result'], targets.filter(Boolean).map((x) => [x.size, x.target, x.value, x.limit, x.result])),
    h.table(['Check', 'Result'], checks.map((c) => [c.name, c.ok ? 'ok' : `**MISMATCH** ${c.detail}`])),
    [
      `Product code bundled with esbuild (scripts/bundle-options.mjs) into bench/.data/ before measuring: buildPartial/readSummaries as one ESM bundle, the Action by scripts/build-action.mjs (${bundled.sameAsDist ? 'byte-identical to the committed dist/index.mjs' : 'differs from the committed dist/index.mjs: the bench runs the current sources'}).`,
      'buildPartial: the child generates the summaries one at a time (deterministic generator in bench/aggregate.mjs, 2,000 of them schema-checked) and hands each to a PartialBuilder, as the Action hands each summary over as readSummaries parses it; the time is the time inside the builder (adding, then finish). Peak RSS (GNU time %M) is the whole child: generator, builder, the finished partial and writing its file.',
      'Branch data is written by one `git fast-import` pass per branch (setup, not the product\'s per-file writer, not measured); readSummaries is timed in its own child, files/s = files / its wall time in the child.',
      `The Action is \`node action-index.mjs\` with INPUT_* variables as the runner sets them (as test/action-report.test.ts), local bare repositories (no network); one run each, not a median. Reuse: a branch whose tip did not move is not read; of the ${NIGHT_CHANGED}/${NIGHT_REPOSITORIES} branches that moved only the new files are read (their other rows come from the previous partial). The night also builds the whole site, as every report does.`,
    ].map((n) => `- ${n}`).join('\n'),
  ].join('\n\n');
  return { title: 'aggregate', failed: checks.some((c) => !c.ok), markdown };
}

if (process.argv[1] && path.resolve(process.argv[1]) === HERE) {
  const [mode, ...args] = process.argv.slice(2);
  await ({ build: childBuild, read: childRead })[mode](args);
}
