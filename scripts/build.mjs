// Bundles the CLI into build/ with esbuild: one start-up file plus lazily loaded chunks per
// command, so `tokenledger` starts fast (bundled zod and commander load in milliseconds).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { nodeBundle } from './bundle-options.mjs';

await rm(new URL('../build', import.meta.url), { recursive: true, force: true });
await build({
  ...nodeBundle,
  // The transcript worker lives beside the chunks, where parallel.ts looks for it.
  entryPoints: { cli: 'src/cli/index.ts', 'chunks/claude-code-worker': 'src/sources/claude-code/worker.ts' },
  splitting: true,
  outdir: 'build',
  chunkNames: 'chunks/[name]-[hash]',
  minifySyntax: true,
  sourcemap: true,
});
