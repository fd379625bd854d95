/**
 * How a browser signs in to this gateway, for the web UI's sign-in page: always an API token; and, when OIDC is
 * configured with a client for the UI (OIDC_CLIENT_ID), the issuer to run the authorization code flow with PKCE
 * against (RFC 7636; the UI reads the issuer's discovery document). Nothing secret: a public client has no secret.
 */
import type { GatewayConfig } from '../gateway.config';

export interface SignInMethods {
  authEnabled: boolean;
  token: true;
  oidc: { issuer: string; clientId: string; scopes: string[]; flow: 'authorization_code+pkce' } | null;
}

export const signInMethods = (config: Pick<GatewayConfig, 'webOidc' | 'auth'>): SignInMethods => ({
  authEnabled: config.auth.enabled,
  token: true,
  oidc: config.webOidc && config.auth.oidc ? { ...config.webOidc, flow: 'authorization_code+pkce' } : null,
});
