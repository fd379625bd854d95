import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from './role.types';

interface AuthContext {
  /** undefined: not authenticated yet; null: anonymous (or authentication off). */
  principal: Principal | null | undefined;
}

const storage = new AsyncLocalStorage<AuthContext>();

/**
 * Express middleware: opens the per-request auth context the guard fills in, so the read layer can ask
 * `currentViewer()` without every method passing the caller along.
 */
export function authContextMiddleware(_req: Request, _res: Response, next: NextFunction): void {
  storage.run({ principal: undefined }, next);
}

/** Runs fn in a fresh per-request auth context, as the middleware does (a route served in front of express). */
export const withAuthContext = <T>(fn: () => T): T => storage.run({ principal: undefined }, fn);

/** Runs fn with a given viewer (RPC handlers, jobs, tests). */
export const withViewer = <T>(principal: Principal | null, fn: () => T): T => storage.run({ principal }, fn);

export const setCurrentViewer = (principal: Principal | null): void => {
  const context = storage.getStore();
  if (context) context.principal = principal;
};

/** The authenticated caller of the current request; null when anonymous or when authentication is off. */
export const currentViewer = (): Principal | null => storage.getStore()?.principal ?? null;
