#!/usr/bin/env node
// The project's `lineage` command; the compiled CLI lives in dist (run `npm run build` first).
const path = require('path');
const entry = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
try {
  require.resolve(entry);
} catch {
  process.stderr.write('lineage: the CLI is not built yet; run `npm run build` in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
require(entry);
