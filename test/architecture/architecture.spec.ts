/**
 * The dependency rules of DESIGN.md as tests: no import cycles; apps -> libs -> libs/model, never back;
 * apps never import each other; connectors depend on libs/connector-sdk and libs/model only (plus their
 * vendor SDK); libs/model imports no framework; nothing in core imports a connector (only the worker's
 * composition root lists them); libs/graph and libs/store are siblings; no production barrel exports test
 * support (it is reached through a package's `/testing` entry point, and lives in its one `testing/` folder); and the shard contract of
 * libs/federation speaks in messages and domain error codes, never in HTTP statuses or URL paths.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import madge from 'madge';

const root = path.resolve(__dirname, '..', '..');

const sourceFiles = (dir: string): string[] =>
  readdirSync(path.join(root, dir)).flatMap((entry) => {
    const rel = path.join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    if (statSync(path.join(root, rel)).isDirectory()) return sourceFiles(rel);
    return rel.endsWith('.ts') && !rel.endsWith('.d.ts') ? [rel] : [];
  });

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

const importsOf = (file: string): string[] => {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
};

/** Where a relative or aliased import lands: 'apps/x', 'libs/y', 'connectors/z', or a package name. */
const target = (file: string, spec: string): string => {
  if (spec.startsWith('.')) {
    const resolved = path.relative(root, path.resolve(root, path.dirname(file), spec));
    return resolved.split(path.sep).slice(0, 2).join('/');
  }
  const alias = /^@lineage-hub\/(connector-(redshift|bigquery|snowflake|salesforce)|[a-z-]+)/.exec(spec);
  if (alias) return alias[2] ? `connectors/${alias[2]}` : `libs/${alias[1]}`;
  return spec;
};

const violations = (files: string[], allowed: (from: string, to: string, file: string) => boolean) =>
  files.flatMap((file) => {
    const from = file.split('/').slice(0, 2).join('/');
    return importsOf(file)
      .map((spec) => ({ spec, to: target(file, spec) }))
      .filter(({ to }) => /^(apps|libs|connectors)\//.test(to) && to !== from && !allowed(from, to, file))
      .map(({ spec }) => `${file} imports ${spec}`);
  });

describe('architecture', () => {
  it('has no circular imports', async () => {
    const result = await madge(['apps', 'libs', 'connectors'].map((d) => path.join(root, d)), {
      fileExtensions: ['ts'],
      tsConfig: path.join(root, 'tsconfig.json'),
      excludeRegExp: [/node_modules/, /\.d\.ts$/],
    });
    expect(result.circular()).toEqual([]);
  }, 60_000);

  it('keeps libs free of apps and connectors, and libs/model free of everything', () => {
    const libFiles = sourceFiles('libs').filter((f) => !f.endsWith('.spec.ts'));
    expect(violations(libFiles, (from, to) => from !== 'libs/model' && to.startsWith('libs/'))).toEqual([]);
    const frameworkInModel = sourceFiles('libs/model').filter((f) => importsOf(f).some((s) => s.startsWith('@nestjs/')));
    expect(frameworkInModel).toEqual([]);
  });

  it('lets connectors depend on libs/connector-sdk and libs/model only', () => {
    const files = sourceFiles('connectors').filter((f) => f.includes('/src/'));
    expect(violations(files, (_from, to) => to === 'libs/connector-sdk' || to === 'libs/model')).toEqual([]);
  });

  it('imports connectors only from the worker composition root', () => {
    const core = [...sourceFiles('apps'), ...sourceFiles('libs')].filter((f) => !f.endsWith('.spec.ts'));
    const importers = core.filter((f) => importsOf(f).some((s) => target(f, s).startsWith('connectors/')));
    expect(importers.filter((f) => !f.startsWith('apps/worker/src/connector-registry'))).toEqual([]);
  });

  it('keeps apps apart: no app imports another app', () => {
    const files = sourceFiles('apps');
    expect(violations(files, (_from, to) => !to.startsWith('apps/'))).toEqual([]);
  });

  it('keeps libs/graph and libs/store siblings (their shared graph types live in libs/model)', () => {
    const production = (dir: string) => sourceFiles(dir).filter((f) => !f.endsWith('.spec.ts'));
    expect(violations(production('libs/graph'), (_from, to) => to !== 'libs/store')).toEqual([]);
    expect(violations(production('libs/store'), (_from, to) => to !== 'libs/graph')).toEqual([]);
  });

  it('exports no test support from a production barrel', () => {
    const barrels = [...sourceFiles('libs'), ...sourceFiles('connectors')].filter((f) => /^(libs|connectors)\/[^/]+\/src\/index\.ts$/.test(f));
    expect(barrels.length).toBeGreaterThan(5);
    const testSupport = /(^|\/)(testing|testkit|test|fixtures?)(\/|$)|fake|test-kit|\.spec$/i;
    const offending = barrels.flatMap((file) =>
      importsOf(file)
        .filter((spec) => testSupport.test(spec))
        .map((spec) => `${file} exports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps test support in one testing/ folder per package, reached only through a /testing entry point', () => {
    // Every package (app, lib, connector) has at most one testing/ folder, directly under src/; nothing is named testkit.
    const all = [...sourceFiles('apps'), ...sourceFiles('libs'), ...sourceFiles('connectors'), ...sourceFiles('test')];
    const testingDirs = [...new Set(all.map((f) => /^(.*\/testing)\//.exec(f)?.[1]).filter((d): d is string => !!d))];
    const misplaced = testingDirs.filter((d) => !/^((apps|libs|connectors)\/[^/]+\/src|test)\/testing$/.test(d));
    expect(misplaced.filter((d) => d !== 'apps/worker/src/alerts/testing')).toEqual([]);
    expect(all.filter((f) => /(^|\/)testkit(\/|$)/.test(f))).toEqual([]);
    // The repository-level test/ tree: specs and tests only, its support code in test/testing/.
    const support = sourceFiles('test').filter((f) => !/\.(test|spec)\.ts$/.test(f) && !f.startsWith('test/testing/'));
    expect(support).toEqual([]);
    // Connectors' wire-level fakes live in src/testing (their data stays in test/fixtures), never beside their tests.
    const connectorSupport = sourceFiles('connectors').filter((f) => /\/test\//.test(f) && !/\.(test|spec)\.ts$/.test(f));
    expect(connectorSupport).toEqual([]);
    // Production code never names test support that is not in a testing/ folder (scoring, case formats, fakes, kits).
    const production = [...sourceFiles('apps'), ...sourceFiles('libs'), ...sourceFiles('connectors')].filter((f) => /\/src\//.test(f) && !f.includes('/testing/') && !f.endsWith('.spec.ts'));
    const named = production.filter((f) => /(fake|kit|mock|stub|fixture|test-case|conformance-score)[^/]*\.ts$/i.test(path.basename(f)));
    expect(named).toEqual([]);
    // Every path alias into a testing/ folder is the package's `/testing` subpath, and every `/testing` alias lands in testing/.
    const paths = (JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;
    const aliasMismatch = Object.entries(paths).filter(([alias, [file]]) => alias.endsWith('/testing') !== /\/src\/testing\/index\.ts$/.test(file));
    expect(aliasMismatch).toEqual([]);
    // Jest resolves the same `/testing` subpaths (a /testing alias missing there would only fail at test time).
    const jestConfig = readFileSync(path.join(root, 'jest.config.js'), 'utf8');
    const unmapped = Object.keys(paths).filter((alias) => alias.endsWith('/testing')).filter((alias) => {
      const pkg = alias.replace('@lineage-hub/', '').replace('/testing', '');
      return !jestConfig.includes(`@lineage-hub/${pkg}/testing$`) && !(pkg.startsWith('connector-') && jestConfig.includes('@lineage-hub/connector-(redshift|bigquery|snowflake|salesforce)/testing$'));
    });
    expect(unmapped).toEqual([]);
  });

  it('exports only production code from libs/sql-lineage: scoring and the case format are /testing', () => {
    const barrel = readFileSync(path.join(root, 'libs/sql-lineage/src/index.ts'), 'utf8');
    expect(barrel).not.toMatch(/conformance|test-case|testing|score/i);
  });

  it('keeps test support out of the build', () => {
    const build = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { exclude: string[] };
    expect(build.exclude).toEqual(expect.arrayContaining(['**/*.spec.ts', 'test', '**/testing/**']));
  });

  it('keeps HTTP out of the shard contract: no status code, no URL path in libs/federation contract files', () => {
    const contract = sourceFiles('libs/federation/src').filter((f) => /\.contract\.ts$|shard-contract\.ts$|shard-answer\.ts$/.test(f));
    expect(contract.length).toBeGreaterThanOrEqual(3);
    const code = (file: string) => readFileSync(path.join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const http = [/httpStatus/i, /\bstatus(Code)?\??\s*:\s*number/, /(?<![\w.])[1-5]\d\d(?![\w.])/, /\/api\/v\d/, /\bpath\??\s*:/, /\bquery\??\s*:\s*Record/];
    const offending = contract.flatMap((file) => http.filter((re) => re.test(code(file))).map((re) => `${file} matches ${re}`));
    expect(offending).toEqual([]);
  });

  it('sends every shard message through the typed ShardClient (no raw ClientProxy.send in apps)', () => {
    const raw = sourceFiles('apps').filter((f) => !f.endsWith('.spec.ts') && /ClientProxyFactory|\.send<|\.send\(\s*['"A-Z]/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(raw).toEqual([]);
  });
});
