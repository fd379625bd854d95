/**
 * Lets a child process run the worker's TypeScript sources directly (integration tests start real worker
 * processes and kill them): compiles .ts with @swc/core using the repo's .swcrc, and resolves the
 * tsconfig path aliases (@lineage-hub/*). Test support only; production runs the tsc build in dist/.
 */
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../../../..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
const aliases = Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, target)]);

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  const alias = aliases.find(([name]) => name === request);
  if (alias) return alias[1];
  return originalResolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = swc.transformSync(source, { ...swcrc, swcrc: false, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};

// Relative imports without an extension: try .ts beside .js.
const originalFindPath = Module._findPath;
Module._findPath = function findPath(request, paths, isMain) {
  const found = originalFindPath.call(this, request, paths, isMain);
  if (found) return found;
  for (const base of paths ?? []) {
    for (const candidate of [path.resolve(base, `${request}.ts`), path.resolve(base, request, 'index.ts')]) {
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return false;
};
