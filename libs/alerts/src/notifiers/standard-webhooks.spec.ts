import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './standard-webhooks';

// The published Standard Webhooks test vector (reference implementations' own tests).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('reproduces the published test vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  const headers = (signature: string, timestamp = VECTOR.timestamp) => ({ 'webhook-id': VECTOR.id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature });

  it.each([
    ['the right signature', headers(VECTOR.signature), VECTOR.body, true],
    ['one of several space-separated signatures', headers(`v1,bm9wZQ== ${VECTOR.signature}`), VECTOR.body, true],
    ['a changed body', headers(VECTOR.signature), '{"test": 2432232315}', false],
    ['a changed id', { ...headers(VECTOR.signature), 'webhook-id': 'msg_other' }, VECTOR.body, false],
    ['an unknown version', headers(VECTOR.signature.replace('v1,', 'v2,')), VECTOR.body, false],
    ['a missing signature header', { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp) }, VECTOR.body, false],
  ])('verify: %s -> %s', (_name, given, body, ok) => {
    expect(verifyWebhook(VECTOR.secret, given, body, VECTOR.timestamp + 10).ok).toBe(ok);
  });

  it('refuses a timestamp outside the 5-minute tolerance (replay)', () => {
    expect(verifyWebhook(VECTOR.secret, headers(VECTOR.signature), VECTOR.body, VECTOR.timestamp + 301)).toEqual({ ok: false, reason: expect.stringMatching(/tolerance/) });
  });

  it('headers a sender emits verify with a fresh secret', () => {
    const secret = generateWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhook(secret, webhookHeaders(secret, 'dl_1', now, '{"a":1}'), '{"a":1}').ok).toBe(true);
    expect(() => signWebhook('not-a-whsec', 'x', 1, '')).toThrow(/whsec_/);
  });
});
