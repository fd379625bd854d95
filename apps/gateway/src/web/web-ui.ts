/**
 * The web UI (apps/web, built by `npm run build` into dist/web) as static files at `/`. API routes keep priority:
 * only files that exist are served (the UI routes by URL hash, so no fallback page is needed). A gateway without
 * a build says so once and serves the API alone.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { repoRoot } from '@lineage-hub/common';
import { SECURITY_HEADERS } from '@lineage-hub/auth';
import type { GatewayConfig } from '../gateway.config';

export const webUiDir = (config: Pick<GatewayConfig, 'webDir'>): string => config.webDir ?? path.join(repoRoot(), 'dist', 'web');

/**
 * The UI's Content-Security-Policy: the API's, plus the OIDC issuer's origin for `connect-src` when the UI signs in
 * there (it reads the discovery document and trades the code for a token from the browser).
 */
export const webUiCsp = (config: Pick<GatewayConfig, 'webOidc'>): string => {
  const base = SECURITY_HEADERS['Content-Security-Policy'];
  return config.webOidc ? `${base}; connect-src 'self' ${new URL(config.webOidc.issuer).origin}` : base;
};

export const serveWebUi = (app: NestExpressApplication, config: Pick<GatewayConfig, 'webDir' | 'webOidc'>, logger: LoggerService): void => {
  const dir = webUiDir(config);
  if (!existsSync(path.join(dir, 'index.html'))) {
    logger.warn?.({ msg: 'web UI not built: the gateway serves the API only', dir, fix: 'npm run build' }, 'Gateway');
    return;
  }
  const csp = webUiCsp(config);
  app.useStaticAssets(dir, { index: 'index.html', immutable: false, maxAge: 0, fallthrough: true, setHeaders: (res) => res.setHeader('Content-Security-Policy', csp) });
};
