/**
 * Restricted nodes in the web UI, from a live answer: a gateway with authentication on (two shards in this process,
 * test/testing/secure-hub-kit.ts) serving the UI from dist/web. Domain b's dataset is tagged
 * `classification:restricted` and read by a job of domain a. A reader of domain a signs in with a token on the
 * sign-in page and opens that job in the explorer: its upstream is drawn as "restricted" with the count of nodes it
 * stands for, and neither the dataset's name nor b's job name is anywhere in the page's DOM. An admin, signed in the
 * same way, sees the name (so the reader's page lacks it because it was hidden, not because nothing was drawn).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ROOT } from '../testing/process-kit';
import { startSecureHub, type SecureHub } from '../testing/secure-hub-kit';

jest.setTimeout(180_000);

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'test', 'e2e', '.screenshots');
const PRODUCER = 'https://github.com/lineage-hub/web-e2e';
const SECRET_NAME = 'crm.customers_secret';
const B_JOB = 'b_builds_customers';
const A_JOB = 'job:a-ns:a_reads_customers';

const facet = (name: string, body: Record<string, unknown>) => ({ _producer: PRODUCER, _schemaURL: `https://openlineage.io/spec/facets/1-0-0/${name}.json#/$defs/${name}`, ...body });
const event = (job: { namespace: string; name: string }, inputs: unknown[], outputs: unknown[]) => ({
  eventType: 'COMPLETE',
  eventTime: new Date().toISOString(),
  producer: PRODUCER,
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: randomUUID() },
  job,
  inputs,
  outputs,
});
const RESTRICTED = { namespace: 'b-ns', name: SECRET_NAME, facets: { tags: facet('TagsDatasetFacet', { tags: [{ key: 'classification', value: 'restricted', source: 'MANUAL' }] }) } };

let hub: SecureHub;
let browser: Browser;
let readerOfA: string;
let admin: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash .ci/run does)`);
  if (!existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) throw new Error('dist/web is missing: run `npm run build` (it builds the UI)');
  mkdirSync(SHOTS, { recursive: true });
  hub = await startSecureHub(['a', 'b'], 'a-ns=a,b-ns=b', { WEB_DIR: path.join(ROOT, 'dist', 'web') });
  readerOfA = hub.token({ roles: ['reader'], domains: ['a'] });
  admin = hub.token({ roles: ['admin'] });
  const writerA = hub.token({ roles: ['writer'], domains: ['a'] });
  const writerB = hub.token({ roles: ['writer'], domains: ['b'] });
  await new Promise((r) => setTimeout(r, 1100)); // the apps re-read the token file by mtime
  const post = async (token: string, body: unknown) => {
    const res = await fetch(`${hub.gateway.url}/api/v1/lineage`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  };
  await post(writerB, event({ namespace: 'b-ns', name: B_JOB }, [{ namespace: 'b-ns', name: 'crm.raw' }], [RESTRICTED]));
  await post(writerA, event({ namespace: 'a-ns', name: 'a_reads_customers' }, [{ namespace: 'b-ns', name: SECRET_NAME }], [{ namespace: 'a-ns', name: 'mart.orders' }]));
  // the live answer the page will get: the job's upstream is one hidden node
  for (let i = 0; i < 100; i++) {
    const r = await hub.get(`${hub.gateway.url}/api/v1/impact?nodeId=${encodeURIComponent(A_JOB)}&direction=upstream&depth=1`, readerOfA);
    if (r.status === 200 && r.body.hiddenCount > 0) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

/** A fresh browser context signed in through the sign-in page with `token`, showing the explorer at A_JOB. */
const explorerAs = async (token: string): Promise<{ page: Page; errors: string[] }> => {
  const context = await browser.newContext({ timezoneId: 'UTC', viewport: { width: 1400, height: 900 } });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => {
    throw new Error(`the UI asked for ${route.request().url()}`);
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${hub.gateway.url}/#/signin`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Signed in.' }).waitFor();
  await page.goto(`${hub.gateway.url}/#/lineage?node=${encodeURIComponent(A_JOB)}`);
  await page.locator('[data-testid="canvas"][data-layout="ready"]').waitFor();
  await page.locator(`[data-testid="graph-node"][data-id="${A_JOB}"]`).waitFor();
  return { page, errors };
};

describe('web UI: restricted nodes from a live answer (auth on)', () => {
  it('draws what a reader may not see as "restricted" with its count, and its name is nowhere in the page', async () => {
    const { page, errors } = await explorerAs(readerOfA);
    const restricted = page.getByTestId('restricted-node').first();
    await restricted.waitFor();
    expect(await restricted.textContent()).toMatch(/^restricted/);
    expect(await restricted.getAttribute('data-id')).toMatch(/^hidden:/);
    const summary = page.getByTestId('hidden-count');
    await summary.waitFor();
    expect(Number((await summary.textContent())?.match(/^(\d+) restricted/)?.[1])).toBeGreaterThanOrEqual(1);
    // the visible side of the job is drawn by name
    await page.locator('[data-testid="graph-node"][data-id="dataset:a-ns:mart.orders"]').waitFor();
    // nothing of the hidden nodes in the DOM: text, attributes, titles, links
    const html = await page.content();
    expect([SECRET_NAME, B_JOB, 'b-ns'].filter((s) => html.includes(s))).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'lineage-restricted.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('draws the same dataset by name for an admin', async () => {
    const { page, errors } = await explorerAs(admin);
    await page.locator(`[data-testid="graph-node"][data-id="dataset:b-ns:${SECRET_NAME}"]`).waitFor();
    expect(await page.getByTestId('restricted-node').count()).toBe(0);
    expect(await page.content()).toContain(SECRET_NAME);
    expect(errors).toEqual([]);
  });
});
