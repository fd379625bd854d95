import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { authEnvShape } from '@lineage-hub/auth';

const repoRoot = path.resolve(__dirname, '..');
const chartDir = (chart: string) => path.join(__dirname, chart);
const read = (file: string) => fs.readFileSync(file, 'utf8');
const readYaml = (file: string) => parse(read(file));
const templates = (chart: string): Array<[string, string]> =>
  fs
    .readdirSync(path.join(chartDir(chart), 'templates'))
    .map((name) => [name, read(path.join(chartDir(chart), 'templates', name))]);

const compileSchema = (chart: string) => {
  const ajv = new Ajv({ allErrors: true });
  return ajv.compile(readYaml(path.join(chartDir(chart), 'values.schema.json')));
};
const defaults = (chart: string) => readYaml(path.join(chartDir(chart), 'values.yaml'));

/** A deep copy of `values` with `dotted` set to `value`. */
const withValue = (values: any, dotted: string, value: unknown) => {
  const copy = structuredClone(values);
  const keys = dotted.split('.');
  const last = keys.pop()!;
  keys.reduce((node, key) => node[key], copy)[last] = value;
  return copy;
};

/** Every `.Values.a.b.c` path used in a chart's templates. */
const valuePaths = (chart: string): string[] => {
  const found = new Set<string>();
  for (const [, text] of templates(chart)) {
    for (const match of text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) found.add(match[1].slice(1));
  }
  return [...found].sort();
};

/** Env var names a template sets: `- name: X` in upper case (ports, volumes and containers are lower case). */
const envNames = (text: string): string[] => [...text.matchAll(/-\s+name:\s+([A-Z][A-Z0-9_]*)\s*$/gm)].map((m) => m[1]);

/** The env var names an app's zod config schema reads (keys in SCREAMING_CASE). */
const configKeys = (file: string): string[] => [...[...read(path.join(repoRoot, file)).matchAll(/^\s{4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]), ...Object.keys(authEnvShape)];

describe.each(['shard', 'hub'])('helm chart %s', (chart) => {
  it('has a valid Chart.yaml', () => {
    const meta = readYaml(path.join(chartDir(chart), 'Chart.yaml'));
    expect(meta.apiVersion).toBe('v2');
    expect(meta.name).toMatch(/^[a-z0-9-]+$/);
    expect(meta.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(typeof meta.appVersion).toBe('string');
    expect(meta.type).toBe('application');
  });

  it('ships values.yaml that its values.schema.json accepts', () => {
    const validate = compileSchema(chart);
    const ok = validate(defaults(chart));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('references only values that values.yaml defines', () => {
    const values = defaults(chart);
    const paths = valuePaths(chart);
    expect(paths.length).toBeGreaterThan(5);
    const missing = paths.filter((dotted) => {
      let node: any = values;
      for (const key of dotted.split('.')) {
        if (node === null || typeof node !== 'object' || Array.isArray(node) || !(key in node)) return true;
        node = node[key];
      }
      return false;
    });
    expect(missing).toEqual([]);
  });

  it('only includes templates its helpers define, with balanced blocks', () => {
    const all = templates(chart);
    const defined = new Set(all.flatMap(([, text]) => [...text.matchAll(/define\s+"([^"]+)"/g)].map((m) => m[1])));
    for (const [name, text] of all) {
      for (const match of text.matchAll(/include\s+"([^"]+)"/g)) expect({ name, include: match[1], defined: defined.has(match[1]) }).toEqual({ name, include: match[1], defined: true });
      const opens = [...text.matchAll(/\{\{-?\s*(if|range|with|define)\b/g)].length;
      const ends = [...text.matchAll(/\{\{-?\s*end\s*-?\}\}/g)].length;
      expect({ name, opens }).toEqual({ name, opens: ends });
    }
  });
});

describe('shard chart values', () => {
  const validate = compileSchema('shard');
  const base = defaults('shard');

  it.each([
    ['ports.http', '5000x'],
    ['ports.rpc', 70000],
    ['replicaCount', '1'],
    ['domain', 'sales team'],
    ['store.type', 'mysql'],
    ['persistence.enabled', 'yes'],
    ['persistence.size', 'five gigs'],
    ['redis.url', 'http://redis:6379'],
    ['advertise', 'no-port'],
    ['probes.liveness.periodSeconds', 0],
    ['image', 'lineage-hub:latest'],
    ['logLevel', 'trace'],
    ['namespaceDomains', 42],
    ['namespaceDomains', 'snowflake://acme'],
    ['namespaceDomains', 'snowflake://acme=sales team'],
    ['namespaceDomains', 'snowflake://acme=sales,'],
    ['shards', 'sales'],
    ['shards', 'sales=http://sales-shard:5001'],
    ['shards', 'sales team=sales-shard:5001'],
    ['shards', 'sales=sales-shard'],
  ])('rejects %s = %j', (dotted, value) => {
    expect(validate(withValue(base, dotted, value))).toBe(false);
    expect(validate.errors!.length).toBeGreaterThan(0);
  });

  it('rejects an unknown top-level key (a typo would silently do nothing)', () => {
    expect(validate({ ...base, replicas: 2 })).toBe(false);
  });

  it('keeps one replica with SQLite but allows more with PostgreSQL from a secret', () => {
    expect(validate(withValue(base, 'replicaCount', 2))).toBe(false);
    const postgres = withValue(withValue(base, 'store.type', 'postgres'), 'store.postgres.existingSecret', 'sales-db');
    expect(validate(withValue(postgres, 'replicaCount', 3))).toBe(true);
    expect(validate(withValue(base, 'store.type', 'postgres'))).toBe(false); // no secret named
  });

  it('accepts a Redis URL and an advertised host:port', () => {
    expect(validate(withValue(withValue(base, 'redis.url', 'redis://redis.platform:6379'), 'advertise', 'sales-shard.sales:5001'))).toBe(true);
  });

  it('accepts the namespace -> domain map the shard and the gateway share (NAMESPACE_DOMAINS)', () => {
    expect(base.namespaceDomains).toBe('');
    for (const map of ['snowflake://acme=sales', 'airflow-sales=sales, s3://*=finance', 'snowflake://acme=sales\nkafka://broker:9092=marketing\n']) {
      expect({ map, ok: validate(withValue(base, 'namespaceDomains', map)) }).toEqual({ map, ok: true });
    }
  });

  it('accepts the federation shard list a shard asks about other domains\' datasets (SHARDS)', () => {
    expect(base.shards).toBe('');
    for (const list of ['sales=sales-shard.sales:5001', 'sales=sales-shard:5001, finance=10.0.0.7:5001']) {
      expect({ list, ok: validate(withValue(base, 'shards', list)) }).toEqual({ list, ok: true });
    }
  });

  it('sets the environment the shard reads, and nothing it does not', () => {
    const [, deployment] = templates('shard').find(([name]) => name === 'deployment.yaml')!;
    const names = envNames(deployment);
    expect(names).toEqual(expect.arrayContaining(['PORT', 'RPC_PORT', 'SHARD_DOMAIN', 'NAMESPACE_DOMAINS', 'STORE_URL', 'REDIS_URL', 'SHARD_ADVERTISE']));
    expect(deployment).toMatch(/- name: NAMESPACE_DOMAINS\n\s+value: \{\{ \.Values\.namespaceDomains \| quote \}\}/);
    expect(deployment).toMatch(/- name: SHARDS\n\s+value: \{\{ \.Values\.shards \| quote \}\}/);
    expect(names.filter((name) => !configKeys('apps/shard/src/shard.config.ts').includes(name))).toEqual([]);
    expect(deployment).toMatch(/path: \/health/);
  });
});

describe('hub chart values', () => {
  const validate = compileSchema('hub');
  const base = defaults('hub');

  it.each([
    ['redis.url', ''],
    // Connector config, cursors and run history live in Redis: a Redis that does not persist is refused.
    ['redis.persistent', false],
    ['redis.persistent', undefined],
    ['gateway.port', 'http'],
    ['gateway.replicaCount', 0],
    ['worker.replicaCount', 1.5],
    ['shards', 'sales=host:5001'],
    ['shards', [{ domain: 'sales', host: 'sales-shard', port: '5001' }]],
    ['shards', [{ domain: 'sales team', host: 'sales-shard', port: 5001 }]],
    ['connectors', [{ kind: 'snowflake' }]],
    ['connectors', [{ id: 'Snowflake Prod', kind: 'snowflake' }]],
    ['connectorSecrets.existingSecret', 42],
  ])('rejects %s = %j', (dotted, value) => {
    expect(validate(withValue(base, dotted, value))).toBe(false);
  });

  it('accepts shards and connectors in their documented shape', () => {
    const values = withValue(
      withValue(base, 'shards', [{ domain: 'sales', host: 'sales-shard.sales.svc', port: 5001 }]),
      'connectors',
      [{ id: 'snowflake-prod', kind: 'snowflake', domain: 'finance', schedule: '*/15 * * * *', config: { account: 'o-a' } }],
    );
    expect(validate(values)).toBe(true);
  });

  it('gives the gateway and the worker SHARDS, REDIS_URL and CONNECTORS_FILE from the ConfigMap', () => {
    const all = Object.fromEntries(templates('hub'));
    const helperEnv = envNames(all['_helpers.tpl']);
    for (const file of ['gateway-deployment.yaml', 'worker-deployment.yaml']) {
      const names = [...envNames(all[file]), ...(all[file].includes('include "hub.commonEnv"') ? helperEnv : [])];
      expect(names).toEqual(expect.arrayContaining(['SHARDS', 'REDIS_URL', 'CONNECTORS_FILE', 'PORT']));
      expect(all[file]).toMatch(/configMap:\s+name: \{\{ include "hub.fullname" \. \}\}-connectors/);
    }
    expect(all['configmap.yaml']).toContain('connectors.yaml: |');
    const gatewayKeys = [...configKeys('apps/gateway/src/gateway.config.ts'), 'CONNECTORS_FILE'];
    const gatewayNames = [...envNames(all['gateway-deployment.yaml']), ...helperEnv];
    expect(gatewayNames.filter((name) => !gatewayKeys.includes(name))).toEqual([]);
  });
});

describe.each(['shard', 'hub'])('helm chart %s authentication', (chart) => {
  const validate = compileSchema(chart);
  const base = defaults(chart);
  const all = () => templates(chart).map(([, text]) => text).join('\n');

  it('turns authentication on and takes the service credential and redaction key from a Kubernetes Secret, never from values', () => {
    const text = all();
    expect(text).toMatch(/- name: AUTH\n\s+value: "on"/);
    for (const name of ['AUTH_SERVICE_TOKEN', 'REDACTION_KEY']) expect(text).toMatch(new RegExp(`- name: ${name}\\n\\s+valueFrom:\\n\\s+secretKeyRef:`));
    expect(text).toMatch(/required "auth.existingSecret is required/);
    expect(text).toMatch(/- name: HOST\n\s+value: "0.0.0.0"/);
  });

  it.each([
    ['auth.existingSecret', 42],
    ['auth.existingSecret', 'Not A Secret Name'],
    ['auth.oidc.jwksUrl', 'not-a-url'],
    ['auth.corsOrigins', ['*']],
    ['auth.token', 'lh_inline-secret'],
  ])('rejects %s = %j', (dotted, value) => {
    expect(validate(withValue(base, dotted, value))).toBe(false);
  });

  it('accepts a Secret name, OIDC and an origin allowlist', () => {
    const values = withValue(withValue(withValue(base, 'auth.existingSecret', 'lineage-auth'), 'auth.oidc.issuer', 'https://idp.example.com/'), 'auth.corsOrigins', ['https://lineage.example.com']);
    expect(validate(values)).toBe(true);
  });
});
