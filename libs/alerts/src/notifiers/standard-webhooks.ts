/**
 * Standard Webhooks (https://www.standardwebhooks.com): the signed content is `{webhook-id}.{webhook-timestamp}.{body}`,
 * signed with HMAC-SHA256 keyed by the base64-decoded part of a `whsec_` secret; `webhook-signature` holds
 * space-separated `v1,<base64>` signatures; receivers refuse timestamps outside a tolerance (5 minutes).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'whsec_';
export const WEBHOOK_TOLERANCE_S = 5 * 60;

const keyOf = (secret: string): Buffer => {
  if (!secret.startsWith(PREFIX)) throw new Error('a Standard Webhooks secret starts with "whsec_"');
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  if (key.length < 16) throw new Error('a Standard Webhooks secret holds at least 16 bytes (base64 after "whsec_")');
  return key;
};

export const generateWebhookSecret = (): string => `${PREFIX}${randomBytes(32).toString('base64')}`;

export const signWebhook = (secret: string, id: string, timestampSeconds: number, body: string): string =>
  `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;

export const webhookHeaders = (secret: string | undefined, id: string, timestampSeconds: number, body: string): Record<string, string> => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestampSeconds),
  ...(secret ? { 'webhook-signature': signWebhook(secret, id, timestampSeconds, body) } : {}),
});

export type WebhookVerdict = { ok: true } | { ok: false; reason: string };

/** What a receiver does with the headers it got (lower-case names) and the raw body. */
export const verifyWebhook = (secret: string, headers: Record<string, string | string[] | undefined>, body: string, nowSeconds = Math.floor(Date.now() / 1000)): WebhookVerdict => {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp is not integer seconds' };
  if (Math.abs(nowSeconds - Number(timestamp)) > WEBHOOK_TOLERANCE_S) return { ok: false, reason: 'webhook-timestamp outside the tolerance' };
  const expected = Buffer.from(signWebhook(secret, id, Number(timestamp), body).slice(3), 'base64');
  for (const entry of signatures.split(' ')) {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || !signature) continue;
    const given = Buffer.from(signature, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no matching v1 signature' };
};
