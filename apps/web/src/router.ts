/** Hash routes (`#/lineage?node=...`): the gateway serves one static page, so every view has an address. */
import { useEffect, useState } from 'react';

export interface Route {
  path: string;
  params: URLSearchParams;
}

const read = (): Route => {
  const hash = window.location.hash.replace(/^#/, '') || '/search';
  const q = hash.indexOf('?');
  return { path: q < 0 ? hash : hash.slice(0, q), params: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1)) };
};

export const useRoute = (): Route => {
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
};

export const href = (path: string, params: Record<string, string | undefined> = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const text = q.toString();
  return `#${path}${text ? `?${text}` : ''}`;
};

export const go = (path: string, params: Record<string, string | undefined> = {}) => {
  window.location.hash = href(path, params).slice(1);
};
