#!/usr/bin/env node
// The CLI is bundled into build/ by `npm run build`.
import '../build/cli.js';
