#!/usr/bin/env node
// Refreshes src/summary/prices/prices.json from a LiteLLM model_prices_and_context_window.json.
//
//   node scripts/refresh-prices.mjs <litellm.json> [--date YYYY-MM-DD]
//
// Only models already in our table are touched; LiteLLM is a cross-check, not the authority:
//  - Matching, first hit wins: the exact canonical key (`claude-sonnet-4-5`, `gpt-5.5`); then
//    `anthropic/<key>` or `openai/<key>`; then `<key>-YYYYMMDD` or `<key>-YYYY-MM-DD` (the latest
//    date when several). Nothing looser: no Bedrock/Vertex/regional keys (their prices differ) and
//    no other model of the family.
//  - Per-token USD is converted to per million. Fields LiteLLM lacks keep our value; models
//    LiteLLM lacks are left untouched and listed. Existing long-context tiers are updated; a tier
//    we do not have is reported, not added (it reprices whole requests: check the vendor).
//  - OpenAI has no cache-write price: writes follow the input price (as in our table).
//  - Anthropic bills a 1h cache write at 2x input; a LiteLLM 1h price that breaks this (a known
//    LiteLLM error on old models) is not applied and is reported.
//  - fastMultiplier is never taken from LiteLLM (it has Opus 4.8 at 6x; Anthropic says 2x);
//    a differing LiteLLM value is only reported.
//  - `version` becomes <date>.<n> (n counts refreshes on that date); written atomically
//    (temp file + rename). With no price change, nothing is written.
// The table path can be overridden with TOKENLEDGER_PRICES_FILE (used by tests).
import { readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOKEN_FIELDS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'];

class UsageError extends Error {}

function fail(message) {
  process.stderr.write(`refresh-prices: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  let file;
  let date;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--date') {
      date = argv[++i];
      if (date === undefined) throw new UsageError('--date needs a value (YYYY-MM-DD)');
    } else if (a.startsWith('--date=')) {
      date = a.slice('--date='.length);
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}`);
    } else if (file === undefined) {
      file = a;
    } else {
      throw new UsageError(`unexpected argument ${a}`);
    }
  }
  if (file === undefined) throw new UsageError('missing the LiteLLM JSON file');
  date ??= new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new UsageError(`--date must be YYYY-MM-DD, got ${date}`);
  }
  return { file, date };
}

function readJson(path, what) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    fail(`cannot read ${what} ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`${what} ${path} is not valid JSON: ${e.message}`);
  }
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrice = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function checkTable(table, path) {
  const bad = (why) => fail(`price table ${path} is malformed: ${why}`);
  if (!isObject(table) || !isObject(table.models)) bad('no "models" object');
  if (typeof table.version !== 'string') bad('no "version"');
  for (const [id, m] of Object.entries(table.models)) {
    for (const f of TOKEN_FIELDS) if (!isPrice(m?.[f])) bad(`${id}.${f} is not a price`);
  }
}

/** USD per token -> USD per million, rounded so 3.75e-06 reads 3.75, not 3.7499999999999996. */
const perMillion = (v) => Number((v * 1e6).toPrecision(12));

function findEntry(litellm, id) {
  const direct = [id, `anthropic/${id}`, `openai/${id}`];
  for (const key of direct) if (isObject(litellm[key])) return key;
  const dated = new RegExp(`^${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d{8}|\\d{4}-\\d{2}-\\d{2})$`);
  const hits = Object.keys(litellm)
    .filter((k) => dated.test(k) && isObject(litellm[k]))
    .sort();
  return hits.at(-1);
}

const isOpenAi = (id, entry) => id.startsWith('gpt-') || entry.litellm_provider === 'openai';

/** Per-million prices LiteLLM gives for one of our models (only fields it has). */
function fromLiteLlm(id, entry, warnings) {
  const get = (field) => (isPrice(entry[field]) ? perMillion(entry[field]) : undefined);
  const openai = isOpenAi(id, entry);
  const base = {
    input: get('input_cost_per_token'),
    output: get('output_cost_per_token'),
    cacheWrite5m: get('cache_creation_input_token_cost'),
    cacheWrite1h: get('cache_creation_input_token_cost_above_1hr'),
    cacheRead: get('cache_read_input_token_cost'),
  };
  if (openai) {
    base.cacheWrite5m ??= base.input;
    base.cacheWrite1h ??= base.cacheWrite5m;
  }
  if (id.startsWith('claude-') && base.cacheWrite1h !== undefined && base.input !== undefined) {
    if (Math.abs(base.cacheWrite1h - 2 * base.input) > 1e-9) {
      warnings.push(`${id}: LiteLLM 1h cache write ${base.cacheWrite1h} is not 2x input ${base.input}; not applied`);
      base.cacheWrite1h = undefined;
    }
  }

  let longContext;
  const tier = Object.keys(entry)
    .map((k) => /^input_cost_per_token_above_(\d+)k_tokens$/.exec(k))
    .find((m) => m !== null);
  if (tier) {
    const n = tier[1];
    const sfx = `_above_${n}k_tokens`;
    longContext = {
      thresholdInputTokens: Number(n) * 1000,
      input: get(`input_cost_per_token${sfx}`),
      output: get(`output_cost_per_token${sfx}`),
      cacheWrite5m: get(`cache_creation_input_token_cost${sfx}`),
      cacheWrite1h: get(`cache_creation_input_token_cost_above_1hr${sfx}`),
      cacheRead: get(`cache_read_input_token_cost${sfx}`),
    };
    if (openai) {
      longContext.cacheWrite5m ??= longContext.input;
      longContext.cacheWrite1h ??= longContext.cacheWrite5m;
    }
  }

  let webSearchPerThousand;
  const search = entry.search_context_cost_per_query;
  const perQuery = isObject(search) ? search.search_context_size_medium : search;
  if (isPrice(perQuery)) webSearchPerThousand = Number((perQuery * 1000).toPrecision(12));

  let fast;
  if (isObject(entry.provider_specific_entry) && isPrice(entry.provider_specific_entry.fast)) {
    fast = entry.provider_specific_entry.fast;
  } else if (isPrice(entry.input_cost_per_token_priority) && isPrice(entry.input_cost_per_token) && entry.input_cost_per_token > 0) {
    fast = Number((entry.input_cost_per_token_priority / entry.input_cost_per_token).toPrecision(6));
  }
  return { base, longContext, webSearchPerThousand, fast };
}

/** Applies LiteLLM values onto a copy of our entry; returns the copy and change lines. */
function merge(id, ours, lite, warnings) {
  const next = structuredClone(ours);
  const changes = [];
  const set = (obj, field, value, label) => {
    if (value === undefined || obj[field] === value) return;
    changes.push(obj[field] === undefined ? `  + ${label}: ${value}` : `  ${label}: ${obj[field]} -> ${value}`);
    obj[field] = value;
  };
  for (const f of TOKEN_FIELDS) set(next, f, lite.base[f], f);
  set(next, 'webSearchPerThousand', lite.webSearchPerThousand, 'webSearchPerThousand');

  const lc = lite.longContext;
  if (lc !== undefined) {
    if (next.longContext !== undefined) {
      set(next.longContext, 'thresholdInputTokens', lc.thresholdInputTokens, 'longContext.thresholdInputTokens');
      for (const f of TOKEN_FIELDS) set(next.longContext, f, lc[f], `longContext.${f}`);
    } else {
      // A new tier reprices whole requests; check the vendor's page and add it by hand.
      warnings.push(`${id}: LiteLLM has a long-context tier above ${lc.thresholdInputTokens} input tokens that we do not; not applied`);
    }
  }
  if (lite.fast !== undefined && lite.fast !== 1 && lite.fast !== ours.fastMultiplier) {
    warnings.push(`${id}: LiteLLM fast/priority multiplier ${lite.fast}, ours ${ours.fastMultiplier ?? 'none'}; not applied (check the vendor's page)`);
  }
  return { next, changes };
}

function nextVersion(previous, date) {
  const m = /^(\d{4}-\d{2}-\d{2})\.(\d+)$/.exec(previous ?? '');
  const counter = m && m[1] === date ? Number(m[2]) + 1 : 1;
  return `${date}.${counter}`;
}

function writeAtomically(path, text) {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    fail(`cannot write ${path}: ${e.message}`);
  }
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    fail(`${e.message}\nusage: node scripts/refresh-prices.mjs <model_prices_and_context_window.json> [--date YYYY-MM-DD]`);
  }
  const tablePath =
    process.env.TOKENLEDGER_PRICES_FILE ||
    fileURLToPath(new URL('../src/summary/prices/prices.json', import.meta.url));

  const litellm = readJson(args.file, 'LiteLLM price file');
  if (!isObject(litellm)) fail(`LiteLLM price file ${args.file} is not a JSON object of models`);
  const table = readJson(tablePath, 'price table');
  checkTable(table, tablePath);

  const out = [`Refreshing ${tablePath}`, `  from ${args.file}`];
  const warnings = [];
  const missing = [];
  const unchanged = [];
  let changed = 0;
  for (const [id, ours] of Object.entries(table.models)) {
    const key = findEntry(litellm, id);
    if (key === undefined) {
      missing.push(id);
      continue;
    }
    const { next, changes } = merge(id, ours, fromLiteLlm(id, litellm[key], warnings), warnings);
    if (changes.length === 0) {
      unchanged.push(id);
      continue;
    }
    changed++;
    // Keep each changed entry traceable to where its numbers now come from.
    const stamp = `LiteLLM ${key} applied ${args.date}`;
    next.comment = next.comment ? `${next.comment.replace(/; LiteLLM \S+ applied \d{4}-\d{2}-\d{2}$/, '')}; ${stamp}` : stamp;
    table.models[id] = next;
    out.push(`${id} (LiteLLM ${key})`, ...changes);
  }
  out.push(`Unchanged: ${unchanged.length} model(s)${unchanged.length ? `: ${unchanged.join(', ')}` : ''}`);
  if (missing.length) out.push(`Not in LiteLLM, kept as is: ${missing.join(', ')}`);
  if (warnings.length) out.push('Warnings:', ...warnings.map((w) => `  ${w}`));

  if (changed === 0) {
    out.push(`No price changed; ${tablePath} left as is (version ${table.version}).`);
    process.stdout.write(`${out.join('\n')}\n`);
    return;
  }
  const previous = table.version;
  table.version = nextVersion(previous, args.date);
  table.source = `LiteLLM model_prices_and_context_window.json (${basename(args.file)}) applied ${args.date} by scripts/refresh-prices.mjs over the hand-checked table; see notes`;
  table.sourceDate = args.date;
  writeAtomically(tablePath, `${JSON.stringify(table, null, 2)}\n`);
  out.push(`Changed ${changed} model(s). Wrote version ${table.version} (was ${previous}).`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
