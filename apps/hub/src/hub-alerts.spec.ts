import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAlertRoutesYaml, WebhookNotifier } from '@lineage-hub/alerts';
import { sampleAlert } from '@lineage-hub/alerts/testing';
import { type AlertsInbox, INBOX_SECRET_ENV, inboxRoutesFile, startAlertsInbox } from './hub-alerts';

jest.mock('./hub-output', () => ({ say: jest.fn(), sleep: (ms: number) => new Promise((r) => setTimeout(r, ms)) }));

describe("npm start's local alerts inbox", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-hub-inbox-'));
  let inbox: AlertsInbox;

  beforeAll(async () => {
    inbox = await startAlertsInbox(dir);
  });
  afterAll(async () => {
    await inbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the worker a routes file its parser accepts: every alert to the inbox, the secret by env reference', () => {
    const { file, env } = inboxRoutesFile(dir, inbox);
    expect(env).toMatchObject({ ALERTS_FILE: file, [INBOX_SECRET_ENV]: inbox.secret });
    const routes = parseAlertRoutesYaml(readFileSync(file, 'utf8'));
    expect(routes.receivers).toEqual([expect.objectContaining({ name: 'local-inbox', kind: 'webhook', url: inbox.url, secret: { env: INBOX_SECRET_ENV } })]);
    expect(routes.defaultReceiver).toBe('local-inbox');
    expect(readFileSync(file, 'utf8')).not.toContain(inbox.secret);
  });

  it('takes a notification signed by the worker\'s webhook notifier, keeps it in inbox.jsonl; refuses an unsigned one', async () => {
    const alert = sampleAlert();
    const message = { action: 'trigger' as const, alert, hubUrl: 'http://127.0.0.1:4000', sentAt: new Date(), deliveryId: 'dl_inbox_1' };
    const result = await new WebhookNotifier().send({ name: 'local-inbox', kind: 'webhook', url: inbox.url, secret: { env: INBOX_SECRET_ENV } } as any, message, () => inbox.secret);
    expect(result).toMatchObject({ outcome: 'delivered', status: 204 });
    expect(inbox.received).toEqual([{ type: 'alert.trigger', alertId: alert.id, severity: alert.severity, summary: alert.summary }]);
    const lines = readFileSync(inbox.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ webhookId: 'dl_inbox_1', type: 'alert.trigger', data: expect.objectContaining({ id: alert.id }) })]);

    const unsigned = await fetch(inbox.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"alert.trigger"}' });
    expect(unsigned.status).toBe(401);
    expect(inbox.received).toHaveLength(1);
  });
});
