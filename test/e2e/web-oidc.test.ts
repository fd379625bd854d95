/**
 * The web UI's OIDC sign-in in Debian's Chromium: a gateway with authentication on and OIDC configured (one shard,
 * in this process) and a local issuer (test/testing/fake-oidc-issuer.ts). The sign-in page offers the issuer; the
 * browser runs the authorization code flow with PKCE through it and comes back signed in; the API then answers
 * the UI with the issuer's token and refuses it without.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { startFakeIssuer, type FakeIssuer } from '../testing/fake-oidc-issuer';
import { ROOT } from '../testing/process-kit';
import { startSecureHub, type SecureHub } from '../testing/secure-hub-kit';

jest.setTimeout(180_000);

const CHROMIUM = '/usr/bin/chromium';
let issuer: FakeIssuer;
let hub: SecureHub;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash .ci/run does)`);
  if (!existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) throw new Error('dist/web is missing: run `npm run build` (it builds the UI)');
  issuer = await startFakeIssuer({ clientId: 'lineage-web', audience: 'lineage-hub', subject: 'ada', roles: ['reader'] });
  hub = await startSecureHub(['sales'], 'snowflake://acme-sales=sales', {
    OIDC_ISSUER: issuer.issuer,
    OIDC_AUDIENCE: 'lineage-hub',
    OIDC_JWKS_URL: issuer.jwksUrl,
    OIDC_CLIENT_ID: 'lineage-web',
    WEB_DIR: path.join(ROOT, 'dist', 'web'),
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  await issuer?.close();
});

describe('web UI OIDC sign-in', () => {
  it('says how to sign in without a credential, and nothing else is open', async () => {
    const methods = await hub.get(`${hub.gateway.url}/api/v1/auth/sign-in`);
    expect(methods).toMatchObject({ status: 200, body: { authEnabled: true, token: true, oidc: { issuer: issuer.issuer, clientId: 'lineage-web', scopes: ['openid'], flow: 'authorization_code+pkce' } } });
    expect((await hub.get(`${hub.gateway.url}/api/v1/namespaces`)).status).toBe(401);
  });

  it('signs in through the issuer with the authorization code flow and PKCE, and reads with its token', async () => {
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${hub.gateway.url}/#/signin`);
    await page.getByRole('button', { name: /Sign in with 127\.0\.0\.1/ }).click();
    await page.getByRole('status').filter({ hasText: 'Signed in with OIDC.' }).waitFor();
    expect(page.url()).toBe(`${hub.gateway.url}/#/signin`);
    expect(issuer.authorizations).toHaveLength(1);
    expect(issuer.authorizations[0]).toMatchObject({ response_type: 'code', client_id: 'lineage-web', code_challenge_method: 'S256', redirect_uri: `${hub.gateway.url}/`, scope: 'openid' });
    expect(issuer.refusals).toEqual([]);
    const token = await page.evaluate(() => (globalThis as any).localStorage.getItem('lineage-hub.token'));
    expect(token.split('.')).toHaveLength(3);
    // the UI's next read carries it; the gateway verifies it against the issuer's JWKS
    expect((await hub.get(`${hub.gateway.url}/api/v1/namespaces`, token)).status).toBe(200);
    await page.goto(`${hub.gateway.url}/#/search?q=orders`);
    await page.getByTestId('search-count').waitFor();
    expect(errors).toEqual([]);
  });
});
