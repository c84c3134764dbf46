// What every tokenledger bundle shares: ESM for Node 20+, and a require() for the CommonJS
// dependencies inside (commander, @actions/http-client, tunnel, undici call it for built-ins;
// without it an ESM bundle dies with "Dynamic require of … is not supported").
export const nodeBundle = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};
