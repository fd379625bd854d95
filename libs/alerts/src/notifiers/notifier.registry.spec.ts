/** Every notifier against a real local HTTP server that checks the vendor's format and answers as the vendor does. */
import type { ReceiverConfig } from '../alert-routes.schema';
import { FakeReceivers } from '../testing/fake-receivers.server';
import { sampleAlert } from '../testing/alert.fixture';
import { literalSecrets, type NotificationMessage } from './notifier.port';
import { NotifierRegistry } from './notifier.registry';
import { generateWebhookSecret } from './standard-webhooks';

const secret = generateWebhookSecret();
const PD_KEY = 'R0123456789ABCDEF0123456789ABCDE';
const fake = new FakeReceivers({ signed: secret });
const registry = new NotifierRegistry();
const message = (action: 'trigger' | 'acknowledge' | 'resolve' = 'trigger'): NotificationMessage => ({ action, alert: sampleAlert(), hubUrl: 'http://hub:4000', sentAt: new Date(), deliveryId: 'dl_1' });

beforeAll(() => fake.start());
afterAll(() => fake.stop());

const receivers = (): ReceiverConfig[] => [
  { name: 'hook', kind: 'webhook', url: `${fake.url}/webhook/signed`, secret },
  { name: 'slack', kind: 'slack', url: `${fake.url}/slack/oncall` },
  { name: 'pd', kind: 'pagerduty', url: `${fake.url}/v2/enqueue`, routingKey: PD_KEY, ratePerMinute: 120 },
];

describe.each(['hook', 'slack', 'pd'])('notifier %s', (name) => {
  const receiver = () => receivers().find((r) => r.name === name)!;

  it('is accepted by the vendor format check (2xx -> delivered)', async () => {
    const result = await registry.send(receiver(), message(), literalSecrets);
    expect(result).toMatchObject({ outcome: 'delivered' });
    expect(result.status).toBeGreaterThanOrEqual(200);
    expect(result.status).toBeLessThan(300);
  });

  it.each([
    [{ status: 429, retryAfter: '3' }, 'rate-limited', 3000],
    [{ status: 503 }, 'retry', undefined],
    [{ status: 500 }, 'retry', undefined],
    [{ status: 400, body: 'invalid_payload' }, 'rejected', undefined],
    [{ status: 404, body: 'no_service' }, 'rejected', undefined],
  ])('vendor answers %j -> %s', async (answer, outcome, retryAfterMs) => {
    fake.failNext(answer);
    const result = await registry.send(receiver(), message(), literalSecrets);
    expect(result.outcome).toBe(outcome);
    expect(result.status).toBe(answer.status);
    expect(result.retryAfterMs).toBe(retryAfterMs);
  });
});

describe('notifier edge cases', () => {
  it('a webhook signed with the wrong secret is refused by the receiver (401 -> rejected)', async () => {
    const result = await registry.send({ name: 'hook', kind: 'webhook', url: `${fake.url}/webhook/signed`, secret: generateWebhookSecret() }, message(), literalSecrets);
    expect(result).toMatchObject({ outcome: 'rejected', status: 401 });
  });

  it('the webhook body carries the type, the alert and the same webhook-id on every attempt', async () => {
    await registry.send(receivers()[0], message('resolve'), literalSecrets);
    await registry.send(receivers()[0], message('resolve'), literalSecrets);
    const [a, b] = fake.accepted('/webhook/').slice(-2);
    expect(a.body).toMatchObject({ type: 'alert.resolve', data: { id: 'al_0123456789abcdef0123' } });
    expect(a.headers['webhook-id']).toBe('dl_1');
    expect(b.headers['webhook-id']).toBe('dl_1');
  });

  it.each(['acknowledge', 'resolve'] as const)('PagerDuty %s is accepted with the trigger\'s dedup_key', async (action) => {
    await registry.send(receivers()[2], message('trigger'), literalSecrets);
    const result = await registry.send(receivers()[2], message(action), literalSecrets);
    expect(result.outcome).toBe('delivered');
    const [trigger, follow] = fake.accepted('/v2/enqueue').slice(-2);
    expect(follow.body.dedup_key).toBe(trigger.body.dedup_key);
    expect(follow.body.event_action).toBe(action);
  });

  it('a receiver that is down is a retry, not an error', async () => {
    const down = new FakeReceivers();
    await down.start();
    const url = down.url;
    await down.stop();
    const result = await registry.send({ name: 's', kind: 'slack', url: `${url}/slack/x` }, message(), literalSecrets);
    expect(result).toMatchObject({ outcome: 'retry', status: null });
  });

  it('an unset secret is a permanent rejection naming the receiver', async () => {
    const result = await registry.send({ name: 'pd', kind: 'pagerduty', url: `${fake.url}/v2/enqueue`, routingKey: { env: 'NOPE' }, ratePerMinute: 120 }, message(), literalSecrets);
    expect(result).toMatchObject({ outcome: 'rejected', detail: expect.stringContaining('pd') });
  });

  it('refuses two notifiers for one kind', () => {
    expect(() => new NotifierRegistry([new (class { kind = 'slack' as const; send = jest.fn(); })(), new (class { kind = 'slack' as const; send = jest.fn(); })()])).toThrow(/slack/);
  });
});
