/**
 * OIDC sign-in for the UI: the authorization code flow with PKCE (RFC 7636, S256) against the issuer the gateway
 * names (GET /api/v1/auth/sign-in), endpoints from the issuer's discovery document. The verifier and state live in
 * sessionStorage for the round trip; the access token the issuer returns becomes the bearer token of every API call
 * (the gateway verifies it against the issuer's JWKS).
 */
import { get, setToken } from './gateway-api';

export interface SignInMethods {
  authEnabled: boolean;
  token: true;
  oidc: { issuer: string; clientId: string; scopes: string[] } | null;
}

const PENDING = 'lineage-hub.oidc';

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n: number) => base64url(crypto.getRandomValues(new Uint8Array(n)));
const redirectUri = () => `${window.location.origin}${window.location.pathname}`;

const discovery = async (issuer: string) => {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`the issuer's discovery document answered ${res.status}`);
  const doc = (await res.json()) as { issuer: string; authorization_endpoint: string; token_endpoint: string };
  if (doc.issuer !== issuer) throw new Error(`the discovery document names issuer "${doc.issuer}", not "${issuer}"`);
  return doc;
};

export const signInMethods = () => get<SignInMethods>('/api/v1/auth/sign-in');

/** Leaves for the issuer's sign-in page; it comes back to this page with ?code&state. */
export const startOidcSignIn = async (oidc: NonNullable<SignInMethods['oidc']>): Promise<void> => {
  const doc = await discovery(oidc.issuer);
  const verifier = random(32);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = random(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, issuer: oidc.issuer, clientId: oidc.clientId, tokenEndpoint: doc.token_endpoint, returnTo: window.location.hash }));
  const url = new URL(doc.authorization_endpoint);
  url.search = new URLSearchParams({ response_type: 'code', client_id: oidc.clientId, redirect_uri: redirectUri(), scope: oidc.scopes.join(' '), state, code_challenge: challenge, code_challenge_method: 'S256' }).toString();
  window.location.assign(url.toString());
};

/**
 * On load: when the page is the issuer's redirect back (?code&state, or ?error), trades the code for a token and
 * cleans the address. Returns what happened, for the sign-in page to say; undefined when it is no redirect back.
 */
export const finishOidcSignIn = async (): Promise<string | undefined> => {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('code') && !params.has('error')) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { verifier: string; state: string; clientId: string; tokenEndpoint: string; returnTo: string } | null;
  sessionStorage.removeItem(PENDING);
  window.history.replaceState(null, '', `${window.location.pathname}${pending?.returnTo || '#/signin'}`);
  if (params.has('error')) return `The issuer refused the sign-in: ${params.get('error_description') ?? params.get('error')}`;
  if (!pending || params.get('state') !== pending.state) return 'The sign-in answer does not match a sign-in started here (state); try again.';
  const res = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code')!, redirect_uri: redirectUri(), client_id: pending.clientId, code_verifier: pending.verifier }).toString(),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token) return `The issuer did not give a token: ${body.error_description ?? body.error ?? res.status}`;
  setToken(body.access_token);
  return 'Signed in with OIDC.';
};
