#!/usr/bin/env node
// Benchmark orchestrator: `npm run bench` (= npm run build && node bench/run.mjs).
//
// Each bench is one function in BENCHES, selected with BENCH_ONLY=report,hook (default: all):
// `report` (tokenledger `report daily` vs ccusage `claude daily` on generated data) and `hook`
// (the foreground of the SessionEnd hook on a 20 MB transcript, beside a bare `node -e 0`) and
// `aggregate` (bench/aggregate.mjs: buildPartial, readSummaries and the nightly Action at scale)
// and `site` (bench/site.mjs: the team site for 500,000 sessions, its build time and page weights).
// Results are printed as markdown and prepended to bench/RESULTS.md. Knobs: see bench/README.md.
//
// Timing is wall clock around the child process; peak RSS comes from GNU time's %M, which is the
// largest single process among the child and its descendants (not their sum).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAggregate } from './aggregate.mjs';
import { benchSite } from './site.mjs';
import { GENERATOR_VERSION, encodeProjectDir, formatMiB, generateClaudeProjects, generateTranscript, parseSize } from './generate.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = path.join(REPO, 'bench', '.data');
const RESULTS_FILE = path.join(REPO, 'bench', 'RESULTS.md');
const TOKENLEDGER_BIN = path.join(REPO, 'bin', 'tokenledger.js');
const CCUSAGE_VERSION = '20.0.24';
const MiB = 1024 * 1024;
const TOKEN_FIELDS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'totalTokens'];

/** Targets from the project brief; peak RSS is compared in MiB (GNU time reports KiB). */
const TARGETS = {
  coldVsCcusage: 1.0,
  warmVsCcusage: 0.1,
  peakRssMiB: 300,
  rssGrowth: 1.25, // "flat": peak RSS at the largest size at most 1.25x the smallest
  costTolerance: 0.01,
};

const BENCHES = {
  report: benchReport,
  hook: benchHook,
  // Team side at scale (bench/aggregate.mjs); run.mjs's helpers are handed over.
  aggregate: (ctx) => benchAggregate(ctx, { measure, table, targetRow, fmtRss, fmtInt }),
  // The team site at 500k sessions (bench/site.mjs).
  site: (ctx) => benchSite(ctx, { measure, table, targetRow, fmtRss, fmtInt }),
};

// ---------------------------------------------------------------------------------------------
// Configuration

function readConfig(env) {
  const list = (value, fallback) => (value ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
  const integer = (name, fallback) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${env[name]}"`);
    return value;
  };
  const config = {
    sizes: list(env.BENCH_SIZES, '200MB,1GB'),
    only: list(env.BENCH_ONLY, Object.keys(BENCHES).join(',')),
    seed: integer('BENCH_SEED', 42),
    runs: Math.max(1, integer('BENCH_RUNS', 5)),
    coldRuns: Math.max(1, integer('BENCH_COLD_RUNS', 3)),
    skipCcusage: env.BENCH_SKIP_CCUSAGE === '1',
    writeResults: env.BENCH_WRITE_RESULTS !== '0',
  };
  for (const size of config.sizes) parseSize(size); // fail early on a typo
  const unknown = config.only.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    throw new Error(`BENCH_ONLY names unknown bench(es) ${unknown.join(', ')}; available: ${Object.keys(BENCHES).join(', ')}`);
  }
  return config;
}

function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown CPU',
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    // Other work on the machine skews timings; the load average makes a noisy run recognisable.
    loadAtStart: os.loadavg()[0],
  };
}

// ---------------------------------------------------------------------------------------------
// Data sets

/** Total size of the .jsonl files under dir (a cheap check that a cached data set is complete). */
function jsonlBytes(dir) {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.jsonl')) bytes += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return bytes;
}

/** Generated Claude data for one size, reused when expected.json says it is the same size+seed. */
function ensureClaudeData(size, seed) {
  const requestedBytes = parseSize(size);
  const dir = path.join(DATA_DIR, `claude-${size.toLowerCase()}-seed${seed}`);
  try {
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
    if (expected.requestedBytes === requestedBytes && expected.seed === seed &&
        expected.generatorVersion === GENERATOR_VERSION && jsonlBytes(path.join(dir, 'projects')) === expected.bytes) {
      console.log(`data ${size}: reusing ${path.relative(REPO, dir)}`);
      return { size, dir, expected, generated: 'reused' };
    }
  } catch {
    // Missing or unreadable: generate below.
  }
  console.log(`data ${size}: generating into ${path.relative(REPO, dir)} (seed ${seed}) ...`);
  const expected = generateClaudeProjects({ dir, bytes: requestedBytes, seed });
  const rate = expected.bytes / MiB / expected.seconds;
  const generated = `generated in ${expected.seconds.toFixed(1)} s (${rate.toFixed(0)} MiB/s)`;
  console.log(`data ${size}: ${formatMiB(expected.bytes)}, ${expected.files} files, ${generated}`);
  return { size, dir, expected, generated };
}

// ---------------------------------------------------------------------------------------------
// Tools

function findGnuTime() {
  if (!fs.existsSync('/usr/bin/time')) return null;
  const probe = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && /^\d+\s*$/m.test(probe.stderr) ? '/usr/bin/time' : null;
}

/** Installs the pinned ccusage launcher plus this platform's native binary into a temp folder. */
function installCcusage(tmpRoot) {
  const prefix = path.join(tmpRoot, 'ccusage');
  fs.mkdirSync(prefix, { recursive: true });
  // 20.0.25+ launchers have no matching native package on the registry (reference ccusage.md §9).
  const nativePackage = `@ccusage/ccusage-${process.platform}-${process.arch}@${CCUSAGE_VERSION}`;
  console.log(`ccusage: npm install ccusage@${CCUSAGE_VERSION} ${nativePackage} ...`);
  const install = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix,
    `ccusage@${CCUSAGE_VERSION}`, nativePackage], { cwd: prefix, encoding: 'utf8' });
  if (install.status !== 0) {
    const why = (install.error?.message ?? install.stderr ?? '').trim().split('\n').filter(Boolean).slice(-2).join(' / ');
    return { note: `ccusage skipped: npm install failed (${why || `exit ${install.status}`})` };
  }
  const bin = path.join(prefix, 'node_modules', '.bin', 'ccusage');
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0 || !version.stdout.includes(CCUSAGE_VERSION)) {
    const said = `${version.stdout}${version.stderr}`.trim().slice(0, 200);
    return { note: `ccusage skipped: installed launcher did not report ${CCUSAGE_VERSION} (${said})` };
  }
  return { bin, version: CCUSAGE_VERSION };
}

function findTokenledger() {
  const missing = [TOKENLEDGER_BIN, path.join(REPO, 'build')].filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    const names = missing.map((p) => path.relative(REPO, p)).join(' and ');
    return { note: `tokenledger skipped: ${names} missing (CLI not built or not written yet; \`npm run bench\` builds first)` };
  }
  return { bin: TOKENLEDGER_BIN };
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** A minimal, pinned environment: no real ~/.claude, ~/.codex or cache can leak into a run. */
function benchEnv(ctx, dataDir, extra = {}) {
  return {
    PATH: process.env.PATH,
    HOME: ctx.emptyHome,
    NO_COLOR: '1',
    TZ: 'UTC',
    CLAUDE_CONFIG_DIR: dataDir,
    ...extra,
  };
}

/**
 * Runs one command once; wall time from hrtime, peak RSS (KiB) from GNU time when present.
 * `options.input` is written to its stdin; `options.cwd` defaults to the repository.
 */
function measure(ctx, command, args, env, options = {}) {
  const timeFile = path.join(ctx.tmpRoot, 'time.out');
  const [file, argv] = ctx.gnuTime
    ? [ctx.gnuTime, ['-f', '%M', '-o', timeFile, command, ...args]]
    : [command, args];
  const started = process.hrtime.bigint();
  const child = spawnSync(file, argv, { cwd: options.cwd ?? REPO, env, input: options.input, encoding: 'utf8', maxBuffer: 512 * MiB });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  let rssKiB = null;
  if (ctx.gnuTime && fs.existsSync(timeFile)) {
    // GNU time prepends "Command exited with non-zero status N" on failure; %M is the last line.
    const lines = fs.readFileSync(timeFile, 'utf8').trim().split('\n');
    rssKiB = Number(lines[lines.length - 1]) || null;
    fs.rmSync(timeFile);
  }
  const failed = child.error || child.status !== 0;
  return {
    wall, rssKiB, stdout: child.stdout,
    error: failed ? `exit ${child.status ?? child.error?.code}: ${(child.stderr || child.error?.message || '').trim().slice(0, 400)}` : null,
  };
}

/** Runs `count` times, stopping at the first failure; returns the runs and their summary. */
function measureRuns(ctx, label, count, makeRun) {
  const runs = [];
  for (let i = 0; i < count; i++) {
    const run = makeRun(i);
    runs.push(run);
    const rss = run.rssKiB ? `${(run.rssKiB / 1024).toFixed(0)} MiB` : 'RSS n/a';
    console.log(`  ${label} #${i + 1}: ${run.wall.toFixed(2)} s, ${rss}${run.error ? `  FAILED ${run.error}` : ''}`);
    if (run.error) break;
  }
  return summarize(runs);
}

function summarize(runs) {
  const ok = runs.filter((r) => !r.error);
  const walls = ok.map((r) => r.wall).sort((a, b) => a - b);
  const rss = ok.map((r) => r.rssKiB).filter((v) => v !== null);
  return {
    runs,
    error: runs.find((r) => r.error)?.error ?? null,
    median: walls.length ? (walls[Math.floor((walls.length - 1) / 2)] + walls[Math.floor(walls.length / 2)]) / 2 : null,
    min: walls[0] ?? null,
    max: walls[walls.length - 1] ?? null,
    peakRssKiB: rss.length ? Math.max(...rss) : null,
    outputs: ok.map((r) => r.stdout),
  };
}

// ---------------------------------------------------------------------------------------------
// Totals

/** Token totals and cost from either tool's JSON; throws naming the tool when the shape is off. */
function readTotals(tool, stdout) {
  let json;
  try {
    json = JSON.parse(stdout);
  } catch (error) {
    throw new Error(`${tool} printed no valid JSON (${error.message}); first bytes: ${JSON.stringify(stdout.slice(0, 120))}`);
  }
  const totals = json?.totals;
  if (!totals || TOKEN_FIELDS.some((f) => typeof totals[f] !== 'number')) {
    throw new Error(`${tool} JSON has no totals.{${TOKEN_FIELDS.join(', ')}}`);
  }
  const cost = tool === 'ccusage' ? totals.totalCost : totals.costUSD;
  return { ...Object.fromEntries(TOKEN_FIELDS.map((f) => [f, totals[f]])), cost, json };
}

/** |a - b| / |b|; NaN when either is not a number, so every comparison with it fails. */
function relativeDifference(a, b) {
  if (typeof a !== 'number' || typeof b !== 'number') return Number.NaN;
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}

/** Field-by-field differences between two token totals, as readable strings. */
function tokenDifferences(a, b, nameA, nameB) {
  return TOKEN_FIELDS.filter((f) => a[f] !== b[f])
    .map((f) => `${f}: ${nameA} ${a[f].toLocaleString('en-US')} vs ${nameB} ${b[f].toLocaleString('en-US')}`);
}

/** ccusage's daily rows against the generator's per-day totals (UTC), as an extra fidelity check. */
function dailyDifferences(ccusageJson, expected) {
  const differences = [];
  const seen = new Set();
  for (const row of ccusageJson.daily ?? []) {
    seen.add(row.date);
    const want = expected.byDay[row.date];
    if (!want) differences.push(`${row.date}: ccusage has a row, expected.json has none`);
    else if (TOKEN_FIELDS.some((f) => row[f] !== want[f])) {
      differences.push(`${row.date}: ${tokenDifferences(row, want, 'ccusage', 'expected').join('; ')}`);
    }
  }
  for (const day of Object.keys(expected.byDay)) if (!seen.has(day)) differences.push(`${day}: missing from ccusage`);
  return differences;
}

/**
 * Checks every successful run's totals: each tool against expected.json, tokenledger against
 * ccusage (tokens exactly, cost within 1%), and every warm run against the cold one.
 * Returns [{ check, ok, detail }].
 */
function checkTotals(data, results) {
  const checks = [];
  const add = (check, problems) => checks.push({ check, ok: problems.length === 0, detail: problems.join('; ') });
  const parsed = {};
  for (const [key, tool] of [['ccusage', 'ccusage'], ['oursCold', 'tokenledger'], ['oursWarm', 'tokenledger']]) {
    const summary = results[key];
    if (!summary || summary.outputs.length === 0) continue;
    try {
      parsed[key] = summary.outputs.map((out) => readTotals(tool, out));
    } catch (error) {
      add(`${tool} output`, [error.message]);
    }
  }
  const expected = data.expected.totals;
  if (parsed.ccusage) {
    add('ccusage = expected.json (tokens)', tokenDifferences(parsed.ccusage[0], expected, 'ccusage', 'expected'));
    add('ccusage daily rows = expected.json byDay', dailyDifferences(parsed.ccusage[0].json, data.expected).slice(0, 5));
  }
  const ours = parsed.oursCold?.[0];
  if (ours) {
    add('tokenledger = expected.json (tokens)', tokenDifferences(ours, expected, 'tokenledger', 'expected'));
    const runs = [...(parsed.oursCold ?? []), ...(parsed.oursWarm ?? [])];
    const drift = runs.flatMap((run, i) => [
      ...tokenDifferences(run, ours, `run ${i + 1}`, 'first cold run'),
      // A cache may sum in another order, so allow float noise, nothing more.
      ...(relativeDifference(run.cost, ours.cost) <= 1e-9 ? [] : [`run ${i + 1} cost ${run.cost} vs ${ours.cost}`]),
    ]);
    add('tokenledger warm runs = cold run', drift.slice(0, 5));
  }
  if (ours && parsed.ccusage) {
    const theirs = parsed.ccusage[0];
    add('tokenledger = ccusage (tokens)', tokenDifferences(ours, theirs, 'tokenledger', 'ccusage'));
    const relative = relativeDifference(ours.cost, theirs.cost);
    add(`tokenledger cost within ${TARGETS.costTolerance * 100}% of ccusage`, relative <= TARGETS.costTolerance ? []
      : [`$${ours.cost} vs $${theirs.cost} (${Number.isFinite(relative) ? `${(relative * 100).toFixed(2)}%` : 'cost missing'})`]);
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------
// Bench: report

/** tokenledger `report daily` (cold and warm cache) vs ccusage `claude daily`, per data size. */
function benchReport(ctx) {
  const { config } = ctx;
  const ccusage = ctx.ccusage();
  const ours = findTokenledger();
  const notes = [ccusage.note, ours.note].filter(Boolean);
  for (const note of notes) console.log(note);
  const perSize = [];
  for (const size of config.sizes) {
    const data = ensureClaudeData(size, config.seed);
    const results = {};
    if (ccusage.bin) {
      const env = benchEnv(ctx, data.dir);
      const args = ['claude', 'daily', '--json', '--offline', '--timezone', 'UTC'];
      console.log(`${size}: ccusage claude daily (1 warm-up + ${config.runs})`);
      measure(ctx, ccusage.bin, args, env); // warm-up: page cache and binary loaded, as for every later run
      results.ccusage = measureRuns(ctx, 'ccusage', config.runs, () => measure(ctx, ccusage.bin, args, env));
    }
    if (ours.bin) {
      const args = [ours.bin, 'report', 'daily', '--json', '--timezone', 'UTC'];
      let cache = null;
      console.log(`${size}: tokenledger report daily, cold (${config.coldRuns} runs, each with an empty cache)`);
      results.oursCold = measureRuns(ctx, 'tokenledger cold', config.coldRuns, (i) => {
        cache = fs.mkdtempSync(path.join(ctx.tmpRoot, `cache-${size}-${i}-`));
        return measure(ctx, process.execPath, args, benchEnv(ctx, data.dir, { XDG_CACHE_HOME: cache }));
      });
      if (!results.oursCold.error) {
        console.log(`${size}: tokenledger report daily, warm (${config.runs} runs on the last cold run's cache)`);
        results.oursWarm = measureRuns(ctx, 'tokenledger warm', config.runs,
          () => measure(ctx, process.execPath, args, benchEnv(ctx, data.dir, { XDG_CACHE_HOME: cache })));
      }
    }
    const checks = checkTotals(data, results);
    for (const c of checks) console.log(`  ${c.ok ? 'ok      ' : 'MISMATCH'} ${size} ${c.check}${c.ok ? '' : `: ${c.detail}`}`);
    perSize.push({ data, results, checks });
  }
  const targets = evaluateTargets(perSize);
  return {
    title: 'report',
    failed: perSize.some((s) => s.checks.some((c) => !c.ok) || Object.values(s.results).some((r) => r.error)),
    markdown: renderReport(ctx, perSize, targets, notes),
  };
}

function ratio(a, b) {
  return a !== null && b ? a / b : null;
}

/** One row of the targets table; a null value (tool missing) gives "n/a". */
function targetRow(size, target, value, shown, limit, limitText) {
  const result = value === null ? 'n/a' : value <= limit ? 'PASS' : 'FAIL';
  return { size, target, value: shown, limit: `≤ ${limitText}`, result };
}

/** PASS/FAIL per target and size, plus RSS flatness across sizes. */
function evaluateTargets(perSize) {
  const rows = [];
  for (const { data, results } of perSize) {
    const ccusageMedian = results.ccusage?.median ?? null;
    const cold = ratio(results.oursCold?.median ?? null, ccusageMedian);
    const warm = ratio(results.oursWarm?.median ?? null, ccusageMedian);
    const peak = peakOurs(results);
    rows.push(
      targetRow(data.size, 'cold: tokenledger / ccusage wall', cold, fmtRatio(cold),
        TARGETS.coldVsCcusage, TARGETS.coldVsCcusage.toFixed(2)),
      targetRow(data.size, 'warm: tokenledger / ccusage (cold, it has no cache) wall', warm, fmtRatio(warm),
        TARGETS.warmVsCcusage, TARGETS.warmVsCcusage.toFixed(2)),
      targetRow(data.size, 'tokenledger peak RSS', peak === null ? null : peak / 1024, fmtRss(peak),
        TARGETS.peakRssMiB, `${TARGETS.peakRssMiB} MiB`),
    );
  }
  if (perSize.length >= 2) {
    const [first, last] = [perSize[0], perSize[perSize.length - 1]];
    const growth = ratio(peakOurs(last.results), peakOurs(first.results));
    rows.push(targetRow(`${first.data.size} → ${last.data.size}`, 'tokenledger peak RSS growth (flat)', growth,
      fmtRatio(growth), TARGETS.rssGrowth, TARGETS.rssGrowth.toFixed(2)));
  }
  return rows;
}

function peakOurs(results) {
  const values = [results.oursCold?.peakRssKiB, results.oursWarm?.peakRssKiB].filter((v) => v != null);
  return values.length ? Math.max(...values) : null;
}

// ---------------------------------------------------------------------------------------------
// Bench: hook

const HOOK_TARGET_MS = 400;
const HOOK_TRANSCRIPT_SIZE = '20MB';
/** The issue asks for at least this many timed runs. */
const HOOK_MIN_RUNS = 7;

function runGit(cwd, args, env) {
  const child = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${(child.stderr || child.error?.message || '').trim()}`);
  return child.stdout.trim();
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The hook's run log (JSON lines), oldest first. */
function readRunLog(file) {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/**
 * Waits until the run log holds `count` entries of the detached work (push, or the sync a late
 * capture hands over to), so it never competes with the next timed run for the two cores.
 */
function waitForDetached(logFile, count, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  // Every hook run ends in exactly one push entry: the detached `hook push` after a foreground
  // capture, or the one inside the background sync a large session is handed over to.
  while (readRunLog(logFile).filter((entry) => entry.event === 'push').length < count) {
    if (Date.now() > deadline) throw new Error(`the hook's detached push did not log within ${timeoutMs / 1000} s (${logFile})`);
    sleepSync(25);
  }
}

/**
 * The foreground of the SessionEnd hook (stdin to exit of `node bin/tokenledger.js hook run`)
 * for a 20 MB transcript, in a repository with a bare remote, beside a bare `node -e 0` and the
 * CLI's own start (`--version`). One first capture (a new summary, a commit), then repeated runs
 * for the same session: the summary is unchanged, so no commit, which is the realistic repeated
 * cost (`/clear`, resume and exit end the same session again).
 */
function benchHook(ctx) {
  const ours = findTokenledger();
  if (!ours.bin) {
    console.log(ours.note);
    return { title: 'hook', failed: false, markdown: `- ${ours.note}` };
  }
  const runs = Math.max(HOOK_MIN_RUNS, ctx.config.runs);
  const root = fs.mkdtempSync(path.join(ctx.tmpRoot, 'hook-'));
  const dirs = Object.fromEntries(['home', 'state', 'cache', 'codex', 'claude'].map((name) => [name, path.join(root, name)]));
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const gitEnv = { PATH: process.env.PATH, HOME: dirs.home, GIT_CONFIG_NOSYSTEM: '1' };

  // A developer's clone: one commit on main, pushed to a bare remote.
  const remote = path.join(root, 'remote.git');
  const work = path.join(root, 'work');
  runGit(root, ['init', '-q', '--bare', '-b', 'main', remote], gitEnv);
  runGit(root, ['init', '-q', '-b', 'main', work], gitEnv);
  runGit(work, ['config', 'user.name', 'Bench Developer'], gitEnv);
  runGit(work, ['config', 'user.email', 'bench@example.com'], gitEnv);
  fs.writeFileSync(path.join(work, 'README.md'), '# bench\n');
  runGit(work, ['add', 'README.md'], gitEnv);
  runGit(work, ['commit', '-q', '-m', 'first'], gitEnv);
  runGit(work, ['remote', 'add', 'origin', remote], gitEnv);
  runGit(work, ['push', '-q', 'origin', 'main'], gitEnv);

  // The transcript where Claude Code keeps it: projects/<encoded project folder>/<session id>.jsonl.
  const projectDir = path.join(dirs.claude, 'projects', encodeProjectDir(work));
  const generating = Date.now();
  const generated = generateTranscript({ file: path.join(projectDir, 'generating.jsonl'), bytes: HOOK_TRANSCRIPT_SIZE, seed: ctx.config.seed });
  const generatedIn = (Date.now() - generating) / 1000;
  const transcript = path.join(projectDir, `${generated.sessionId}.jsonl`);
  fs.renameSync(generated.file, transcript);
  console.log(`hook: ${formatMiB(generated.bytes)} transcript, ${generated.lines} lines, generated in ${generatedIn.toFixed(1)} s`);

  const env = benchEnv(ctx, dirs.claude, {
    HOME: dirs.home,
    XDG_STATE_HOME: dirs.state,
    XDG_CACHE_HOME: dirs.cache,
    CODEX_HOME: dirs.codex,
    GIT_CONFIG_NOSYSTEM: '1',
    TOKENLEDGER_KEY: 'bench-team-key',
    CLAUDE_PROJECT_DIR: work,
  });
  const input = JSON.stringify({
    session_id: generated.sessionId, transcript_path: transcript, cwd: work,
    permission_mode: 'default', hook_event_name: 'SessionEnd', reason: 'prompt_input_exit',
  });
  const runLog = path.join(dirs.state, 'tokenledger', 'hook-runs.jsonl');
  let hookRuns = 0;
  const hookRun = () => {
    const run = measure(ctx, process.execPath, [ours.bin, 'hook', 'run'], env, { input, cwd: work });
    if (!run.error && run.stdout !== '') run.error = `printed on stdout: ${JSON.stringify(run.stdout.slice(0, 80))}`;
    if (!run.error) waitForDetached(runLog, ++hookRuns);
    return run;
  };

  const results = {};
  console.log('hook: node -e 0 and tokenledger --version (start-up alone)');
  results.bare = measureRuns(ctx, 'node -e 0', runs, () => measure(ctx, process.execPath, ['-e', '0'], env, { cwd: work }));
  results.version = measureRuns(ctx, 'tokenledger --version', runs, () => measure(ctx, process.execPath, [ours.bin, '--version'], env, { cwd: work }));
  console.log('hook: first capture (1 run), then the same session again');
  results.first = measureRuns(ctx, 'hook run, first capture', 1, hookRun);
  if (!results.first.error) results.repeated = measureRuns(ctx, 'hook run, repeated', runs, hookRun);

  const checks = checkHook({ work, remote, gitEnv, runLog, generated, results, runs });
  for (const c of checks) console.log(`  ${c.ok ? 'ok      ' : 'MISMATCH'} hook ${c.check}${c.ok ? '' : `: ${c.detail}`}`);
  const median = results.repeated?.median ?? null;
  const target = targetRow(HOOK_TRANSCRIPT_SIZE, 'hook foreground, median of repeated runs', median === null ? null : median * 1000,
    median === null ? 'n/a' : fmtMs(median), HOOK_TARGET_MS, `${HOOK_TARGET_MS} ms`);
  return {
    title: 'hook',
    failed: checks.some((c) => !c.ok) || Object.values(results).some((r) => r.error),
    markdown: renderHook(ctx, { generated, generatedIn, results, checks, target, runs, runLog }),
  };
}

/** The hook did what it should: outcomes in the run log, the committed total, the push. */
function checkHook({ work, remote, gitEnv, runLog, generated, results, runs }) {
  const checks = [];
  const add = (check, problems) => checks.push({ check, ok: problems.length === 0, detail: problems.join('; ') });
  const log = readRunLog(runLog);
  const outcomes = log.filter((entry) => entry.event === 'SessionEnd').map((entry) => entry.outcome);
  // A session this large is handed to a background sync (its own run-log entry) at once.
  const handedOver = outcomes.every((outcome) => outcome === 'handed-over');
  const expected = handedOver ? outcomes.map(() => 'handed-over') : ['captured', ...Array(results.repeated ? runs : 0).fill('unchanged')];
  add('every run captured: in the foreground (captured, then unchanged) or handed over (run log)', outcomes.join(',') === expected.join(',') ? [] : [`outcomes ${outcomes.join(', ')}`]);
  if (handedOver) {
    const syncs = log.filter((entry) => entry.event === 'sync');
    add('each handed-over session captured by its background sync', syncs.length === outcomes.length && syncs.every((entry) => entry.outcome === 'ok') ? [] : [`sync outcomes ${syncs.map((entry) => entry.outcome).join(', ')}`]);
  }
  try {
    const files = runGit(work, ['ls-tree', '-r', '--name-only', 'refs/heads/token-data'], gitEnv).split('\n').filter(Boolean);
    const summary = files.length === 1 ? JSON.parse(runGit(work, ['cat-file', 'blob', `refs/heads/token-data:${files[0]}`], gitEnv)) : null;
    add('one summary, tokens.total = the generator\'s total', summary?.tokens?.total === generated.totals.totalTokens ? []
      : [`${files.length} file(s), total ${summary?.tokens?.total} vs ${generated.totals.totalTokens}`]);
    const local = runGit(work, ['rev-parse', 'refs/heads/token-data'], gitEnv);
    const pushed = runGit(work, ['ls-remote', remote, 'refs/heads/token-data'], gitEnv).split('\t')[0];
    add('pushed: the remote\'s token-data = the local one', pushed === local ? [] : [`remote ${pushed || 'none'} vs local ${local}`]);
  } catch (error) {
    add('data branch readable', [error.message]);
  }
  return checks;
}

const fmtMs = (seconds) => `${Math.round(seconds * 1000)} ms`;
const fmtMsRange = (s) => (s.median === null ? 'n/a' : `${fmtMs(s.median)} (${fmtMs(s.min)}–${fmtMs(s.max)})`);

function renderHook(ctx, { generated, generatedIn, results, checks, target, runs, runLog }) {
  const out = [];
  out.push(table(['Transcript', 'Size', 'Lines', 'API responses', 'Data'], [[
    HOOK_TRANSCRIPT_SIZE, formatMiB(generated.bytes), fmtInt(generated.lines), fmtInt(generated.totals.messages),
    `generateTranscript, seed ${ctx.config.seed}, in ${generatedIn.toFixed(1)} s`,
  ]]));
  // The hook's own account of each run (from start-up to its log line), beside the wall times.
  const log = readRunLog(runLog);
  const ends = log.filter((entry) => entry.event === 'SessionEnd');
  const handedOver = ends.every((entry) => entry.outcome === 'handed-over');
  // Where the capture ran: in the hook (its own entries) or in the background sync it started.
  const captures = handedOver ? log.filter((entry) => entry.event === 'sync') : ends;
  const inProcess = captures.slice(1).map((entry) => entry.durationMs / 1000).sort((a, b) => a - b);
  const inside = inProcess.length ? summarize(inProcess.map((wall) => ({ wall, rssKiB: null, stdout: '', error: null }))) : null;
  const rows = [
    ['`node -e 0` (bare Node start)', runs, results.bare],
    ['`tokenledger --version` (CLI start)', runs, results.version],
    ['`hook run`, first capture (new summary, commit)', 1, results.first],
    ['`hook run`, same session again (unchanged, no commit)', runs, results.repeated],
  ].filter(([, , s]) => s).map(([what, count, s]) => [what, count, s.error ? `FAILED: ${s.error.slice(0, 120)}` : fmtMsRange(s), fmtRss(s.peakRssKiB)]);
  if (inside) rows.push([handedOver ? 'the capture itself, in the background sync (run log `durationMs`, not foreground)' : 'of which inside the process (run log `durationMs`)', inProcess.length, fmtMsRange(inside), '']);
  out.push(table(['Run (stdin to exit)', 'Runs', 'Wall median (min–max)', 'Peak RSS'], rows));
  out.push(table(['Data', 'Target', 'Value', 'Limit', 'Result'], [[target.size, target.target, target.value, target.limit, target.result]]));
  out.push(table(['Check', 'Result'], checks.map((c) => [c.check, c.ok ? 'ok' : `**MISMATCH** ${c.detail}`])));
  out.push([
    'Foreground: wall time from spawning `node bin/tokenledger.js hook run` (SessionEnd JSON on stdin, `CLAUDE_PROJECT_DIR` set, cwd the repository) to its exit; Claude Code gives all SessionEnd hooks 1.5 s together.',
    'The detached push each run starts is waited for before the next run (it is not foreground time, and would otherwise compete for the cores).',
    'A temp repository with one commit and a bare remote; `TOKENLEDGER_KEY` set; the transcript in page cache.',
  ].map((n) => `- ${n}`).join('\n'));
  return out.join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Markdown

const fmtInt = (n) => n.toLocaleString('en-US');
const fmtRatio = (r) => (r === null ? 'n/a' : `${r.toFixed(2)}×`);
const fmtRss = (kib) => (kib === null || kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);
const fmtWall = (s) => (s.median === null ? 'n/a' : `${s.median.toFixed(2)} s (${s.min.toFixed(2)}–${s.max.toFixed(2)})`);

/** A markdown table; pipes and newlines inside cells are neutralised so error text cannot break it. */
function table(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function renderReport(ctx, perSize, targets, notes) {
  const out = [];
  out.push(table(['Data', 'Size', 'Files', 'Lines', 'API responses', 'Data set'], perSize.map(({ data }) => [
    data.size, formatMiB(data.expected.bytes), `${fmtInt(data.expected.files)} (${fmtInt(data.expected.subagentFiles)} subagent)`,
    fmtInt(data.expected.lines), fmtInt(data.expected.totals.messages), data.generated,
  ])));
  const rows = [];
  const modes = [
    ['oursCold', 'tokenledger', `cold (empty cache), median of ${ctx.config.coldRuns}`],
    ['oursWarm', 'tokenledger', `warm (same cache), median of ${ctx.config.runs}`],
    ['ccusage', `ccusage ${CCUSAGE_VERSION}`, `no cache, median of ${ctx.config.runs} after 1 warm-up`],
  ];
  for (const { data, results } of perSize) {
    for (const [key, tool, mode] of modes) {
      const s = results[key];
      if (!s) continue;
      const rate = s.median ? `${(data.expected.bytes / MiB / s.median).toFixed(0)} MiB/s` : 'n/a';
      const wall = s.error ? `FAILED: ${s.error.slice(0, 120)}` : fmtWall(s);
      rows.push([data.size, tool, mode, wall, rate, fmtRss(s.peakRssKiB)]);
    }
  }
  if (rows.length > 0) out.push(table(['Data', 'Tool', 'Mode', 'Wall median (min–max)', 'Throughput', 'Peak RSS'], rows));
  out.push(table(['Data', 'Target', 'Value', 'Limit', 'Result'], targets.map((t) => [t.size, t.target, t.value, t.limit, t.result])));
  const checkRows = perSize.flatMap(({ data, checks }) => checks.map((c) => [data.size, c.check, c.ok ? 'ok' : `**MISMATCH** ${c.detail}`]));
  if (checkRows.length > 0) out.push(table(['Data', 'Totals check', 'Result'], checkRows));
  const allNotes = [
    ...notes,
    'All runs read page-cache-warm files; "cold" means tokenledger\'s own cache (XDG_CACHE_HOME) starts empty.',
    ctx.gnuTime
      ? 'Peak RSS is GNU time %M: the largest single process of the run. For ccusage that is the larger of its Node launcher and the native binary it spawns, not their sum.'
      : 'Peak RSS unavailable: /usr/bin/time (Debian package `time`) is not installed; wall times use process.hrtime.',
  ];
  out.push(allNotes.map((n) => `- ${n}`).join('\n'));
  return out.join('\n\n');
}

function renderSection(ctx, started, benchResults) {
  const m = ctx.machine;
  const lines = [
    `## ${started} — ${benchResults.map((b) => b.title).join(', ')}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memory} RAM, Node ${m.node}, ${m.kernel}. Seed ${ctx.config.seed}. ` +
      `Load average (1 min) before the run: ${m.loadAtStart.toFixed(2)}.`,
  ];
  for (const bench of benchResults) lines.push('', `### ${bench.title}`, '', bench.markdown);
  return `${lines.join('\n')}\n`;
}

const RESULTS_HEADER = `# Benchmark results

Written by \`npm run bench\` (\`bench/run.mjs\`), newest run first; see \`bench/README.md\` for what is measured.
`;

/** Puts the new section right under the header, keeping older sections below it. */
function prependResults(section) {
  let older = '';
  if (fs.existsSync(RESULTS_FILE)) {
    const text = fs.readFileSync(RESULTS_FILE, 'utf8');
    const first = text.search(/^## /m);
    older = first === -1 ? '' : text.slice(first);
  }
  fs.writeFileSync(RESULTS_FILE, `${RESULTS_HEADER}\n${section}${older ? `\n${older}` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const config = readConfig(process.env);
  const started = new Date().toISOString();
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenledger-bench-'));
  const emptyHome = path.join(tmpRoot, 'home');
  fs.mkdirSync(emptyHome);
  let ccusage;
  const ctx = {
    config, tmpRoot, emptyHome, machine: describeMachine(), gnuTime: findGnuTime(),
    /** Installed on first use, once per run. */
    ccusage: () => (ccusage ??= config.skipCcusage ? { note: 'ccusage skipped: BENCH_SKIP_CCUSAGE=1' } : installCcusage(tmpRoot)),
  };
  if (!ctx.gnuTime) console.log('note: /usr/bin/time not found (Debian package `time`); peak RSS will be n/a');
  try {
    const benchResults = [];
    for (const name of config.only) {
      console.log(`\n== bench ${name}`);
      benchResults.push(await BENCHES[name](ctx)); // aggregate is async (it bundles with esbuild)
    }
    const section = renderSection(ctx, started, benchResults);
    console.log(`\n${section}`);
    if (config.writeResults) {
      prependResults(section);
      console.log(`wrote ${path.relative(REPO, RESULTS_FILE)}`);
    }
    // Timing targets are goals, not errors; wrong totals or crashing tools are.
    if (benchResults.some((b) => b.failed)) process.exitCode = 1;
  } finally {
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${error.message}`);
  process.exitCode = 2;
}
