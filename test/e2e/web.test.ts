/**
 * The web UI served by the gateway at `/`, driven in Debian's Chromium with playwright-core, against a real hub:
 * three shard processes and the gateway (with the UI built by `npm run build`), a worker for the connector views,
 * the demo mesh posted through the gateway. Each view is asserted as a user sees it; screenshots of every view go
 * to test/e2e/.screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DEMO_NAMESPACE_DOMAINS, DEMO_QUERIES, demoEvents } from '../../apps/hub/src/demo/demo-mesh';
import { dropPrefix, uniquePrefix } from '../../apps/worker/src/testing/worker-test-kit';
import { type AppProcess, ROOT, startNode } from '../testing/process-kit';
import { contrastFailures } from '../testing/web-contrast';

jest.setTimeout(240_000);

const CHROMIUM = '/usr/bin/chromium';
const DOMAINS = ['sales', 'marketing', 'finance'] as const;
const SHOTS = path.join(ROOT, 'test', 'e2e', '.screenshots');
const dataDir = mkdtempSync(path.join(tmpdir(), 'lineage-web-e2e-'));
const procs: AppProcess[] = [];
const prefix = uniquePrefix('web');
let G = '';
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const open = async (hash: string) => {
  await page.goto(`${G}/#${hash}`);
};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash .ci/run does)`);
  if (!existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) throw new Error('dist/web is missing: run `npm run build` (it builds the UI)');
  mkdirSync(SHOTS, { recursive: true });
  const shards: Record<string, { httpUrl: string; rpcPort: number }> = {};
  await Promise.all(
    DOMAINS.map(async (domain) => {
      const proc = startNode('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: domain, STORE_URL: `sqlite:${path.join(dataDir, domain, 'lineage.db')}`, REDIS_URL: '' });
      procs.push(proc);
      shards[domain] = await proc.waitFor((l) => l.msg === 'shard started', 90_000);
    }),
  );
  const worker = startNode('apps/worker/src/main.js', { PORT: '0', HOST: '127.0.0.1', REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix, RUN_ATTEMPTS: '1', SHARDS: DOMAINS.map((d) => `${d}=127.0.0.1:${shards[d].rpcPort}`).join(',') });
  procs.push(worker);
  const workerUrl = (await worker.waitFor((l) => l.msg === 'worker listening', 90_000)).url;
  const gateway = startNode('apps/gateway/src/main.js', {
    PORT: '0',
    HOST: '127.0.0.1',
    SHARDS: DOMAINS.map((d) => `${d}=127.0.0.1:${shards[d].rpcPort}`).join(','),
    NAMESPACE_DOMAINS: Object.entries(DEMO_NAMESPACE_DOMAINS).map(([ns, d]) => `${ns}=${d}`).join(','),
    FILTER_REFRESH_MS: '200',
    REDIS_URL: '',
    WORKER_URL: workerUrl,
  });
  procs.push(gateway);
  G = (await gateway.waitFor((l) => l.msg === 'gateway listening', 90_000)).url;
  const events = demoEvents({ filler: 2 });
  for (let i = 0; i < events.length; i += 200) {
    const res = await fetch(`${G}/api/v1/lineage/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events.slice(i, i + 200)) });
    expect(res.status).toBeLessThan(300);
  }
  for (let i = 0; i < 150; i++) {
    const r = (await (await fetch(`${G}/api/v1/impact?nodeId=${encodeURIComponent(DEMO_QUERIES.amountColumn)}&depth=10`)).json()) as any;
    if (r.nodes?.some((n: any) => n.domains.includes('finance'))) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const context = await browser.newContext({ timezoneId: 'UTC', viewport: { width: 1400, height: 900 } });
  // no request may leave the machine (no CDN fonts or scripts)
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => {
    throw new Error(`the UI asked for ${route.request().url()}`);
  });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));
});

const pageErrors: string[] = [];
afterEach(() => {
  // a view that throws in the browser fails its test even when the assertions passed
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await dropPrefix(prefix);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('web UI', () => {
  it('serves the UI at / and searches across domains', async () => {
    await open('/search?q=fct_orders');
    await page.getByTestId('search-count').waitFor();
    const row = page.locator('tr', { hasText: 'ANALYTICS.MARTS.FCT_ORDERS' }).first();
    await row.waitFor();
    expect(await row.locator('.badge').allTextContents()).toContain('sales');
    await shot('search');
  });

  it('explores lineage one hop each way, with counts, expand, and a column path highlighted', async () => {
    const fct = `dataset:${DEMO_QUERIES.amountColumn.slice('datasetField:'.length, DEMO_QUERIES.amountColumn.lastIndexOf(':'))}`;
    await open(`/lineage?node=${encodeURIComponent(fct)}`);
    const canvas = page.getByTestId('canvas');
    await page.locator('[data-testid="canvas"][data-layout="ready"]').waitFor();
    const center = page.locator(`[data-testid="graph-node"][data-id="${fct}"]`);
    await center.waitFor();
    await page.waitForFunction(() => !(globalThis as any).document.querySelector('[data-testid="graph-node"] .count')?.textContent?.includes('…'));
    const before = Number(await canvas.getAttribute('data-nodes'));
    expect(before).toBeGreaterThan(2);
    // expand downstream of a drawn dataset whose consumers are not all drawn yet (the gateway says which): the graph
    // grows by them. A dataset upstream of the center has the center's own job downstream, already drawn.
    // limit=25 is the page one expand asks for (PAGE in apps/web/src/graph/use-explorer.ts).
    const drawnIds = async (sel: string) => (await page.locator(sel).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).filter((id): id is string => !!id);
    const drawn = new Set(await drawnIds('[data-testid="graph-node"]'));
    let target: string | undefined;
    for (const id of await drawnIds('[data-testid="graph-node"].dataset:not(.center)')) {
      const one = (await (await fetch(`${G}/api/v1/impact?nodeId=${encodeURIComponent(id)}&direction=downstream&depth=1&limit=25`)).json()) as any;
      if (one.nodes?.some((n: any) => n.id !== id && !drawn.has(n.id))) {
        target = id;
        break;
      }
    }
    expect(target).toBeDefined();
    // clicked while the graph is being laid out again (both clicks in one task, so the layout cannot finish between
    // them): the expansion is not lost, it runs once the layout is done
    await page.locator(`[data-testid="graph-node"][data-id="${target}"]`).locator('button[aria-label^="expand downstream"]:not([disabled])').waitFor();
    await page.evaluate((id) => {
      const doc = (globalThis as any).document;
      [...doc.querySelectorAll('button')].find((b: any) => b.textContent.trim() === 'Re-layout').click();
      doc.querySelector(`[data-testid="graph-node"][data-id="${id}"] button[aria-label^="expand downstream"]`).click();
    }, target!);
    await page.waitForFunction((n) => Number((globalThis as any).document.querySelector('[data-testid="canvas"]')?.getAttribute('data-nodes')) > n, before);
    await page.locator('[data-testid="canvas"][data-layout="ready"]').waitFor();
    await center.getByRole('button', { name: /columns of/ }).click();
    await center.getByRole('button', { name: 'AMOUNT', exact: true }).click();
    await center.locator('li.hl', { hasText: 'AMOUNT' }).waitFor();
    await shot('lineage');
  });

  it('redraws the graph as it was and highlights what changed between two times', async () => {
    await open(`/lineage?node=${encodeURIComponent('job:spark-marketing:attribution.build')}`);
    await page.getByTestId('canvas').waitFor();
    await page.getByLabel('as of time').fill(DEMO_QUERIES.beforeSwitch.slice(0, 16));
    await page.locator('[data-testid="graph-node"][data-id*="RAW.SHOP.ORDERS" i]').first().waitFor();
    await page.getByLabel(/diff against/).check();
    const summary = page.getByTestId('diff-summary');
    await summary.waitFor();
    await page.waitForFunction(() => /([1-9]\d*) edge\(s\) added, ([1-9]\d*) removed/.test((globalThis as any).document.querySelector('[data-testid="diff-summary"]')?.textContent ?? ''));
    await page.locator('[data-testid="canvas"][data-layout="ready"]').waitFor();
    await page.locator('.react-flow__edge.diff-removed').first().waitFor({ state: 'attached' });
    await page.locator('.react-flow__edge.diff-added').first().waitFor({ state: 'attached' });
    await shot('lineage-diff');
  });

  it('draws each edge by its provenance: an observed edge from the hub through the gateway, dashed as observed', async () => {
    const SF = 'snowflake://acme-sales';
    const event = {
      eventType: 'COMPLETE',
      eventTime: new Date().toISOString(),
      producer: 'https://github.com/lineage-hub/web-e2e',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '01935f2e-7c1a-7d3e-9f00-00000000e2e1' },
      job: { namespace: SF, name: 'observed.copy' },
      inputs: [{ namespace: SF, name: 'ANALYTICS.MARTS.FCT_ORDERS' }],
      outputs: [{ namespace: SF, name: 'ANALYTICS.OBSERVED.COPY' }],
    };
    const posted = await fetch(`${G}/api/v1/lineage`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lineage-provenance': 'observed' }, body: JSON.stringify(event) });
    expect(posted.status).toBeLessThan(300);
    const copy = `dataset:${SF}:ANALYTICS.OBSERVED.COPY`;
    let answer: any;
    for (let i = 0; i < 100 && !answer?.edges?.length; i++) {
      const r = await fetch(`${G}/api/v1/impact?nodeId=${encodeURIComponent(copy)}&direction=upstream&depth=1`);
      if (r.ok) answer = await r.json();
      else await new Promise((res) => setTimeout(res, 200));
    }
    // the answer carries it
    expect(answer.edges).toEqual(expect.arrayContaining([expect.objectContaining({ from: `job:${SF}:observed.copy`, to: copy, kind: 'writes', provenance: 'observed' })]));
    await open(`/lineage?node=${encodeURIComponent(copy)}`);
    await page.locator('[data-testid="canvas"][data-layout="ready"]').waitFor();
    const edge = page.locator('.react-flow__edge.prov-observed').first();
    await edge.waitFor({ state: 'attached' });
    expect(await edge.evaluate((el) => (globalThis as any).getComputedStyle(el.querySelector('path')).strokeDasharray)).not.toBe('none');
    expect(await page.locator('.react-flow__edge.prov-declared').count()).toBe(0);
    await shot('lineage-provenance');
  });

  it('lists the downstream impact of a column grouped by domain, exportable as CSV', async () => {
    await open(`/impact?node=${encodeURIComponent(DEMO_QUERIES.amountColumn)}`);
    await page.getByTestId('impact-summary').waitFor();
    const domains = await page.getByTestId('impact-domain').evaluateAll((els) => els.map((e) => e.getAttribute('data-domain')));
    expect(domains).toEqual(expect.arrayContaining(['marketing', 'finance']));
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toMatch(/^data:text\/csv/);
    await shot('impact');
  });

  it('shows a dataset page with its schema and a job page with its runs', async () => {
    await open(`/dataset?id=${encodeURIComponent(DEMO_QUERIES.snowflakeOrders)}`);
    await page.getByTestId('dataset-name').waitFor();
    expect(await page.getByTestId('dataset-name').textContent()).toBe('ANALYTICS.PUBLIC.ORDERS');
    await page.getByTestId('schema').locator('tr').first().waitFor();
    await shot('dataset');
    await open(`/job?id=${encodeURIComponent('job:spark-marketing:attribution.build')}`);
    await page.getByTestId('runs').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('runs').locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('runs-chart').locator('rect').count()).toBeGreaterThan(3);
    // its inputs and outputs as the API gives them, each a link to the dataset's page
    const job = (await (await fetch(`${G}/api/v1/namespaces/spark-marketing/jobs/attribution.build`)).json()) as any;
    const ids = (list: Array<{ namespace: string; name: string }>) => list.map((d) => `dataset:${d.namespace}:${d.name}`);
    for (const [title, list] of [['Inputs', job.inputs], ['Outputs', job.outputs]] as const) {
      expect(list.length).toBeGreaterThan(0);
      const links = page.locator('.io > div', { has: page.getByRole('heading', { name: title }) }).getByRole('link');
      expect(await links.allTextContents()).toEqual(ids(list));
      expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(ids(list).map((id) => `#/dataset?id=${encodeURIComponent(id)}`));
    }
    await shot('job');
  });

  it('filters alerts by status and severity: each dropdown offers "any" first and asks the API with the one chosen', async () => {
    await open('/alerts');
    await page.locator('h1').waitFor();
    const status = page.getByLabel('status');
    const severity = page.getByLabel('severity');
    expect(await status.locator('option').allTextContents()).toEqual(['any', 'firing', 'acknowledged', 'resolved']);
    expect(await severity.locator('option').allTextContents()).toEqual(['any', 'critical', 'error', 'warning', 'info']);
    const asked = (key: string, value: string) => page.waitForRequest((r) => r.url().includes('/api/v1/alerts') && new URL(r.url()).searchParams.get(key) === value);
    let request = asked('severity', 'critical');
    await severity.selectOption('critical');
    await request;
    request = asked('status', 'resolved');
    await status.selectOption('resolved');
    expect(new URL((await request).url()).searchParams.get('severity')).toBe('critical');
  });

  it('lists connectors with their last run and runs one now', async () => {
    const created = await fetch(`${G}/api/v1/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'web-rs', kind: 'redshift', domain: 'finance', schedule: { every: '1h' }, rateLimit: { requestsPerSecond: 5 }, enabled: false, settings: { host: '127.0.0.1', port: 1, database: 'dev', user: 'u', clusterIdentifier: 'c', region: 'us-east-1' } }),
    });
    expect(created.status).toBe(201);
    await open('/connectors');
    const row = page.locator('[data-testid="connector"][data-id="web-rs"]');
    await row.waitFor();
    await row.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('status').filter({ hasText: /queued for web-rs/ }).waitFor();
    await shot('connectors');
  });

  it('is usable from the keyboard: tab to search, enter searches, tab to a result, enter opens it', async () => {
    await open('/findings');
    await page.evaluate(() => (globalThis as any).document.activeElement?.blur());
    const focused = () => page.evaluate(() => {
      const el = (globalThis as any).document.activeElement;
      return { tag: el?.tagName, id: el?.id, text: el?.textContent?.trim(), href: el?.getAttribute('href'), outline: el ? (globalThis as any).getComputedStyle(el).outlineStyle : 'none' };
    });
    // the main navigation comes first: tab to "Search", enter opens the search view
    for (let i = 0; i < 12 && (await focused()).text !== 'Search'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'A', text: 'Search' });
    expect((await focused()).outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.locator('input#q').waitFor();
    for (let i = 0; i < 12 && (await focused()).id !== 'q'; i++) await page.keyboard.press('Tab');
    expect((await focused()).id).toBe('q');
    await page.keyboard.type('fct_orders');
    await page.keyboard.press('Enter');
    await page.getByTestId('search-count').waitFor();
    await page.locator('tr', { hasText: 'ANALYTICS.MARTS.FCT_ORDERS' }).first().waitFor();
    for (let i = 0; i < 20 && !String((await focused()).href).startsWith('#/dataset'); i++) await page.keyboard.press('Tab');
    expect((await focused()).href).toMatch(/^#\/dataset\?id=/);
    await page.keyboard.press('Enter');
    await page.getByTestId('dataset-name').waitFor();
    expect(await page.getByTestId('dataset-name').textContent()).toMatch(/FCT_ORDERS/i);
  });

  it('has readable contrast (WCAG 4.5:1 for text) in the search, lineage and alerts views', async () => {
    await open('/search?q=orders');
    await page.getByTestId('search-count').waitFor();
    await page.locator('tbody tr').first().waitFor();
    expect(await contrastFailures(page)).toEqual([]);
    const fct = `dataset:${DEMO_QUERIES.amountColumn.slice('datasetField:'.length, DEMO_QUERIES.amountColumn.lastIndexOf(':'))}`;
    await open(`/lineage?node=${encodeURIComponent(fct)}`);
    await page.locator('[data-testid="canvas"][data-layout="ready"]').waitFor();
    await page.locator('[data-testid="graph-node"]').first().waitFor();
    expect(await contrastFailures(page)).toEqual([]);
    await open('/alerts');
    await page.locator('h1').waitFor();
    expect(await contrastFailures(page)).toEqual([]);
  });

  it('keeps keyboard focus visible and signs in with a token', async () => {
    await open('/signin');
    await page.getByLabel('API token').fill('lh_example');
    await page.keyboard.press('Enter');
    await page.getByRole('status').waitFor();
    expect(await page.evaluate(() => (globalThis as any).localStorage.getItem('lineage-hub.token'))).toBe('lh_example');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.tagName)).toMatch(/INPUT|BUTTON|A/);
    await shot('signin');
  });
});
