/**
 * Alerts in `npm start`: unless the hub config names an ALERTS_FILE of its own (worker.alertsFile), the hub runs a
 * local alerts inbox (a Standard Webhooks receiver on 127.0.0.1 that verifies every signature) and gives the
 * worker a routes file that sends every alert there. Each notification is printed as it arrives and appended to
 * <dataDir>/alerts/inbox.jsonl; the start banner counts the open alerts and names the root-cause alerts that paged.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generateWebhookSecret, verifyWebhook } from '@lineage-hub/alerts';
import { say, sleep } from './hub-output';

/** The worker reads the inbox's signing secret from this variable (inside its default secret allow-list). */
export const INBOX_SECRET_ENV = 'LINEAGE_SECRET_ALERTS_INBOX';

export interface InboxNotification {
  type: string;
  alertId: string;
  severity: string;
  summary: string;
}

export interface AlertsInbox {
  url: string;
  file: string;
  secret: string;
  received: InboxNotification[];
  close(): Promise<void>;
}

export const startAlertsInbox = async (dataDir: string): Promise<AlertsInbox> => {
  const dir = path.join(dataDir, 'alerts');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'inbox.jsonl');
  const secret = generateWebhookSecret();
  const received: InboxNotification[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verdict = req.method === 'POST' ? verifyWebhook(secret, req.headers, raw) : { ok: false as const, reason: 'POST only' };
      if (!verdict.ok) {
        res.writeHead(req.method === 'POST' ? 401 : 405, { 'content-type': 'text/plain' }).end(verdict.reason);
        return;
      }
      let body: { type?: string; timestamp?: string; data?: { id?: string; severity?: string; summary?: string; url?: string } };
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('body is not JSON');
        return;
      }
      const note: InboxNotification = { type: String(body.type), alertId: String(body.data?.id), severity: String(body.data?.severity), summary: String(body.data?.summary) };
      received.push(note);
      appendFileSync(file, `${JSON.stringify({ webhookId: req.headers['webhook-id'], ...body })}\n`);
      say(`hub: alert inbox <- ${note.type} [${note.severity}] ${note.summary}  (${body.data?.url ?? note.alertId})`);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhook`, file, secret, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
};

/**
 * The routes the worker gets with the inbox: every alert to it; a 5 s group wait (the demo's shards are evaluated
 * together), the worker evaluating every 5 s.
 */
export const inboxRoutesFile = (dataDir: string, inbox: AlertsInbox): { file: string; env: Record<string, string> } => {
  const file = path.join(dataDir, 'worker', 'alerts.local.yaml');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    [
      '# Written by `npm start` at each start: every alert goes to the hub\'s local inbox (see <dataDir>/alerts/inbox.jsonl).',
      '# Name your own routes file in the hub config (worker.alertsFile) to page PagerDuty, Slack or Alertmanager instead.',
      'receivers:',
      `  - { name: local-inbox, kind: webhook, url: "${inbox.url}", secret: { env: ${INBOX_SECRET_ENV} } }`,
      'defaultReceiver: local-inbox',
      'settings: { groupWait: 5s }',
      '',
    ].join('\n'),
  );
  return { file, env: { ALERTS_FILE: file, [INBOX_SECRET_ENV]: inbox.secret, ALERTS_INTERVAL_MS: '5000' } };
};

interface AlertView {
  id: string;
  status: string;
  severity: string;
  kind: string;
  asset: string;
  domain: string;
  pages: boolean;
  silencedBy: string[];
  lastNotifiedAt: string | null;
  affected: Array<{ asset: string; domain: string }>;
  blastRadius?: { datasets: number; domains: Record<string, number> };
}

const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info'];

/**
 * The banner's alerts: asks the worker (through the gateway) to evaluate, waits up to `waitMs` for the paging
 * alerts to reach the inbox (they wait out the group wait first), then prints the counts and each root cause.
 */
export const printAlerts = async (
  gatewayUrl: string,
  inbox: AlertsInbox | null,
  /** The hub's service credential (auth on), and the curl option a person adds to read with the admin token. */
  auth: { headers: Record<string, string>; curl: string } = { headers: {}, curl: '' },
  waitMs = 20_000,
): Promise<void> => {
  const get = async (p: string, method = 'GET') => {
    const res = await fetch(`${gatewayUrl}${p}`, { method, headers: auth.headers });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return res.json() as Promise<any>;
  };
  let open: AlertView[] = [];
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      await get('/api/v1/alerts/evaluate', 'POST');
      open = ((await get('/api/v1/alerts')).alerts as AlertView[]).filter((a) => a.status !== 'resolved');
      const waiting = open.filter((a) => a.pages && !a.silencedBy.length && (!a.lastNotifiedAt || (inbox && !inbox.received.some((n) => n.alertId === a.id))));
      if (waiting.length === 0 || Date.now() > deadline) break;
      await sleep(1000);
    }
  } catch (error) {
    say('');
    say(`Alerts: not available (${(error as Error).message})`);
    return;
  }
  const roots = open.filter((a) => a.pages).sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.affected.length - a.affected.length);
  say('');
  say(`Alerts (${open.length} open: ${roots.length} root cause${roots.length === 1 ? '' : 's'} paging, ${open.length - roots.length} linked to a root cause):`);
  for (const a of roots) {
    const radius = a.blastRadius ? Object.entries(a.blastRadius.domains).map(([d, n]) => `${d} ${n}`).join(', ') : '';
    say(`  ${a.severity.padEnd(9)} ${a.kind.padEnd(18)} ${a.asset.padEnd(72)} ${a.domain}${radius ? `   downstream: ${radius}` : ''}`);
    for (const x of a.affected) say(`  ${''.padEnd(9)} ${'  affected'.padEnd(18)} ${x.asset.padEnd(72)} ${x.domain}`);
  }
  if (roots[0]) say(`  root cause first: curl ${auth.curl}'${gatewayUrl}/api/v1/alerts/${roots[0].id}'`);
  say(`  all: curl ${auth.curl}'${gatewayUrl}/api/v1/alerts?status=firing'`);
  if (inbox) say(`  delivered to the local inbox ${inbox.url} (${inbox.received.length} notification${inbox.received.length === 1 ? '' : 's'} so far): ${inbox.file}`);
};
