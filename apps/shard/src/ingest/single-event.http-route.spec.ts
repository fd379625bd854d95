import type { IncomingMessage, ServerResponse } from 'node:http';
import { SingleEventRoute, type SingleEventRouteParts } from './single-event.http-route';

const LIMIT = 1000;
const route = new SingleEventRoute({ limitBytes: LIMIT } as SingleEventRouteParts);
const plain = { 'content-type': 'application/json', 'content-length': '120' };
const request = (method: string, url: string, headers: Record<string, string>) => ({ method, url, headers }) as unknown as IncomingMessage;
const untouched = {} as ServerResponse;

describe('SingleEventRoute.serve leaves to express every request it does not serve exactly like the framework', () => {
  it.each([
    ['another method', 'GET', '/api/v1/lineage', plain],
    ['the batch path', 'POST', '/api/v1/lineage/batch', plain],
    ['a trailing slash', 'POST', '/api/v1/lineage/', plain],
    ['a query string', 'POST', '/api/v1/lineage?x=1', plain],
    ['a CORS request', 'POST', '/api/v1/lineage', { ...plain, origin: 'https://ui.example' }],
    ['a gzip body', 'POST', '/api/v1/lineage', { ...plain, 'content-encoding': 'gzip' }],
    ['a chunked body', 'POST', '/api/v1/lineage', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }],
    ['no content type', 'POST', '/api/v1/lineage', { 'content-length': '120' }],
    ['text/plain', 'POST', '/api/v1/lineage', { ...plain, 'content-type': 'text/plain' }],
    ['a +json type', 'POST', '/api/v1/lineage', { ...plain, 'content-type': 'application/vnd.x+json' }],
    ['another charset', 'POST', '/api/v1/lineage', { ...plain, 'content-type': 'application/json; charset=latin1' }],
    ['an empty body', 'POST', '/api/v1/lineage', { ...plain, 'content-length': '0' }],
    ['a body over the limit', 'POST', '/api/v1/lineage', { ...plain, 'content-length': String(LIMIT + 1) }],
  ])('%s', (_name, method, url, headers) => {
    expect(route.serve(request(method, url, headers), untouched)).toBe(false);
  });
});
