/**
 * The findings and alerts views against `npm start --demo` (the hub launcher: shard processes, the gateway with the
 * UI, the worker and its alerts inbox; secure by default): signed in with the first start's admin token on the
 * sign-in page, the findings view lists exactly the demo's planted findings by kind, subject and domain; the alerts
 * view shows each open alert with the root cause the API names (the demo's alerts affect nothing downstream, so the
 * affected list is checked only when there is one); "Acknowledge" is kept by the API, "Silence 2 h" is answered.
 * Screenshots: findings.png, alerts.png.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DEMO_PLANTED_FINDINGS } from '../../apps/hub/src/demo/demo-findings';
import { writeDemoHubConfig, type HubProcess, startHub } from '../testing/hub-kit';
import { ROOT } from '../testing/process-kit';

jest.setTimeout(300_000);

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'test', 'e2e', '.screenshots');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lineage-web-demo-'));
let hub: HubProcess;
let browser: Browser;
let page: Page;
let G = '';
let token = '';
const errors: string[] = [];

const api = async (p: string) => (await fetch(`${G}${p}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash .ci/run does)`);
  if (!existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) throw new Error('dist/web is missing: run `npm run build` (it builds the UI)');
  mkdirSync(SHOTS, { recursive: true });
  const { config, ports } = await writeDemoHubConfig(dir);
  hub = await startHub(['--config', config, '--demo']);
  G = `http://127.0.0.1:${ports[0]}`;
  token = readFileSync(path.join(dir, 'data', 'auth', 'admin-token'), 'utf8').trim();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const context = await browser.newContext({ timezoneId: 'UTC', viewport: { width: 1400, height: 900 } });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => {
    throw new Error(`the UI asked for ${route.request().url()}`);
  });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${G}/#/signin`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Signed in.' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  if (hub) {
    hub.child.kill('SIGTERM');
    await hub.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => expect(errors.splice(0)).toEqual([]));

describe('web UI on the demo hub', () => {
  it('lists the planted findings by kind, subject and domain', async () => {
    await page.goto(`${G}/#/findings`);
    const table = page.getByTestId('findings');
    await table.locator('tbody tr').first().waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    // a finding about a job names the job first (a missing input: the job, then the dataset it lacked)
    for (const f of DEMO_PLANTED_FINDINGS) expect(rows.some(([kind, domain, subject]) => kind === f.kind && domain === f.domain && subject.split(' · ')[0] === f.subject)).toBe(true);
    expect(rows).toHaveLength(DEMO_PLANTED_FINDINGS.length);
    await page.screenshot({ path: path.join(SHOTS, 'findings.png'), fullPage: true });
  });

  it("shows each open alert's root cause as the API names it, and acknowledges and silences from the page", async () => {
    let alerts: any[] = [];
    for (let i = 0; i < 60 && !alerts.length; i++) {
      const body = await api('/api/v1/alerts');
      alerts = (body.alerts as any[]).filter((a) => a.status !== 'resolved');
      if (!alerts.length) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(alerts.length).toBeGreaterThan(0);
    await page.goto(`${G}/#/alerts`);
    await page.getByTestId('alert').first().waitFor();
    const shown = await page.getByTestId('root-cause').allTextContents();
    // every open alert is shown with its root cause (the asset the API names), and what it affects downstream
    for (const a of alerts) expect(shown).toContain(a.asset);
    const affected = await page.getByTestId('affected').allTextContents();
    for (const x of alerts.flatMap((a) => a.affected)) expect(affected).toContain(x.asset);
    await page.screenshot({ path: path.join(SHOTS, 'alerts.png'), fullPage: true });
    const first = page.getByTestId('alert').first();
    await first.getByRole('button', { name: 'Acknowledge' }).click();
    const acked = (await page.getByRole('status').filter({ hasText: /^acknowledged / }).textContent())!.slice('acknowledged '.length);
    expect((await api('/api/v1/alerts')).alerts.find((a: any) => a.id === acked)).toMatchObject({ acknowledgedAt: expect.any(String) });
    await first.getByRole('button', { name: 'Silence 2 h' }).click();
    await page.getByRole('status').filter({ hasText: /^silenced .* for 2 h/ }).waitFor();
  });
});
