import 'reflect-metadata';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_RULE } from './access.decorator';
import type { AccessRule } from './role.types';

export interface RouteRule {
  controller: string;
  handler: string;
  method: string;
  path: string;
  rule: AccessRule | undefined;
}

type ModuleLike = Type<unknown> | { module: Type<unknown>; controllers?: Type<unknown>[]; imports?: unknown[] } | Promise<unknown> | undefined;

const join = (...parts: string[]) => ('/' + parts.flatMap((p) => p.split('/')).filter(Boolean).join('/')).replace(/\/+$/, '') || '/';
const paths = (value: unknown): string[] => (Array.isArray(value) ? value : [value ?? '']).map(String);

/** Every HTTP route a controller declares, with the access rule it (or its class) carries. */
export function controllerRoutes(controller: Type<unknown>): RouteRule[] {
  const out: RouteRule[] = [];
  const classRule = Reflect.getMetadata(ACCESS_RULE, controller) as AccessRule | undefined;
  for (const prefix of paths(Reflect.getMetadata(PATH_METADATA, controller))) {
    let proto = controller.prototype;
    const seen = new Set<string>();
    while (proto && proto !== Object.prototype) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor' || seen.has(name)) continue;
        const handler = Object.getOwnPropertyDescriptor(proto, name)?.value;
        if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        seen.add(name);
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] ?? 'GET';
        for (const path of paths(Reflect.getMetadata(PATH_METADATA, handler))) {
          out.push({ controller: controller.name, handler: name, method, path: join(prefix, path), rule: (Reflect.getMetadata(ACCESS_RULE, handler) as AccessRule | undefined) ?? classRule });
        }
      }
      proto = Object.getPrototypeOf(proto);
    }
  }
  return out;
}

/**
 * Every HTTP route of an application module tree (static or dynamic modules, walked through their imports) with
 * its rule, without starting the app. RPC handlers (@MessagePattern) are not HTTP routes and are not listed.
 */
export function applicationRoutes(root: ModuleLike): RouteRule[] {
  const seen = new Set<unknown>();
  const routes: RouteRule[] = [];
  const visit = (entry: ModuleLike) => {
    if (!entry || entry instanceof Promise) return;
    const dynamic = typeof entry === 'object' ? entry : null;
    const moduleClass = dynamic ? dynamic.module : (entry as Type<unknown>);
    const key = dynamic ?? moduleClass;
    if (seen.has(key)) return;
    seen.add(key);
    const controllers = [...((Reflect.getMetadata('controllers', moduleClass) as Type<unknown>[]) ?? []), ...(dynamic?.controllers ?? [])];
    for (const controller of new Set(controllers)) routes.push(...controllerRoutes(controller));
    for (const imported of [...((Reflect.getMetadata('imports', moduleClass) as ModuleLike[]) ?? []), ...((dynamic?.imports as ModuleLike[]) ?? [])]) visit(imported);
  };
  visit(root);
  return routes;
}
