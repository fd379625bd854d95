/**
 * The OpenLineage Python client's HttpTransport with `api_key` auth, byte for byte: PyPI is not reachable from
 * this machine (`pip download openlineage-python` finds nothing), so the real client cannot run here. This test
 * sends over a raw socket exactly what its source sends (OpenLineage/OpenLineage client/python/openlineage/client/
 * transport/http.py and serde.py): POST urljoin(url, 'api/v1/lineage'), the body `json.dumps(event,
 * sort_keys=True)` with nulls removed (Python's separators ", " and ": "), the requests session's default headers
 * plus `Content-Type: application/json` and `Authorization: Bearer <api_key>` (no Authorization header at all
 * without a key: requests drops a None header). With the key the event is stored; without it, 401 and nothing stored.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { startSecureHub, type SecureHub } from '../testing/secure-hub-kit';

/** Python's `json.dumps(obj, sort_keys=True)` (ensure_ascii, default separators). */
const pythonJsonDumps = (value: unknown): string => {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
};

/** One HTTP/1.1 request as python-requests writes it; resolves with the status code. */
const rawPost = (url: string, path: string, headers: Array<[string, string]>, body: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname, () => {
      const bytes = Buffer.from(body, 'utf8');
      const head = [`POST ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...headers.map(([k, v]) => `${k}: ${v}`), `Content-Length: ${bytes.length}`, '', ''].join('\r\n');
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), bytes]));
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status && answer.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('error', reject);
  });

// requests.Session() defaults (requests.utils.default_headers) + what HttpTransport sets
const SESSION_HEADERS: Array<[string, string]> = [
  ['User-Agent', 'python-requests/2.31.0'],
  ['Accept-Encoding', 'gzip, deflate'],
  ['Accept', '*/*'],
  ['Connection', 'keep-alive'],
  ['Content-Type', 'application/json'],
];

describe('the OpenLineage Python client (HttpTransport, api_key auth), on the wire', () => {
  let hub: SecureHub;
  let apiKey: string;

  beforeAll(async () => {
    hub = await startSecureHub(['a'], 'airflow-a=a,postgres://*=a');
    apiKey = hub.token({ roles: ['writer'], domains: ['a'] });
    await new Promise((r) => setTimeout(r, 1100));
  }, 60_000);
  afterAll(() => hub?.close());

  // What openlineage.client.run.RunEvent serialises to (attr.asdict, nulls removed, enums as values).
  const event = () => ({
    eventType: 'COMPLETE',
    eventTime: new Date().toISOString(),
    run: { runId: randomUUID(), facets: {} },
    job: { namespace: 'airflow-a', name: 'dag.task', facets: {} },
    producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.9.1/client/python',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    inputs: [{ namespace: 'postgres://db:5432', name: 'shop.public.orders', facets: {} }],
    outputs: [{ namespace: 'postgres://db:5432', name: 'shop.public.orders_daily', facets: {} }],
  });
  const stored = async () => (await hub.get(`${hub.shards.a.httpUrl}/api/v1/events/lineage?limit=1`, hub.token({ roles: ['admin'] }))).body?.totalCount;

  it('with the api key the event is stored; without it 401 and nothing is stored', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const before = await stored();
    const body = pythonJsonDumps(event());
    expect(body).toMatch(/^\{"eventTime": /); // sort_keys, Python separators
    expect(await rawPost(hub.gateway.url, '/api/v1/lineage', [...SESSION_HEADERS, ['Authorization', `Bearer ${apiKey}`]], body)).toBe(200);
    expect(await rawPost(hub.gateway.url, '/api/v1/lineage', SESSION_HEADERS, pythonJsonDumps(event()))).toBe(401);
    expect(await rawPost(hub.gateway.url, '/api/v1/lineage', [...SESSION_HEADERS, ['Authorization', 'Bearer lh_wrong']], pythonJsonDumps(event()))).toBe(401);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await stored()).toBe(before + 1);
  });
});
