// Bundles the CLI into build/ with esbuild: one start-up file plus lazily loaded chunks per
// command, so `tokenledger` starts fast (bundled zod and commander load in milliseconds).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { nodeBundle } from './bundle-options.mjs';

await rm(new URL('../build', import.meta.url), { recursive: true, force: true });
await build({
  ...nodeBundle,
  // The transcript and chart workers live beside the chunks, where parallel.ts and render.ts look.
  entryPoints: { cli: 'src/cli/index.ts', 'chunks/claude-code-worker': 'src/sources/claude-code/worker.ts', 'chunks/site-render-worker': 'src/site/render-worker.ts' },
  // Loaded from node_modules at run time: large (Eleventy, Vega) or native (better-sqlite3), and
  // only needed by the commands that build a site or read OpenCode's database.
  external: ['@11ty/eleventy', 'vega', 'vega-lite', 'better-sqlite3'],
  splitting: true,
  outdir: 'build',
  chunkNames: 'chunks/[name]-[hash]',
  minifySyntax: true,
  sourcemap: true,
});
