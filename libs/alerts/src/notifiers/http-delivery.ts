/** The HTTP part all notifiers share: POST JSON with a timeout, and the answer classified. */
import type { DeliveryResult } from './notifier.port';

/** Retry-After: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export const parseRetryAfter = (value: string | null, now: number): number | undefined => {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

/** 2xx delivered; 429 rate-limited; 408, 425 and 5xx worth retrying; any other 4xx a permanent rejection. */
export const classifyResponse = (status: number, retryAfter: string | null, body: string, now = Date.now()): DeliveryResult => {
  const detail = body.slice(0, 300);
  if (status >= 200 && status < 300) return { outcome: 'delivered', status, detail };
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  if (status === 429) return { outcome: 'rate-limited', status, retryAfterMs, detail };
  if (status === 408 || status === 425 || status >= 500) return { outcome: 'retry', status, retryAfterMs, detail };
  return { outcome: 'rejected', status, detail };
};

export const DEFAULT_TIMEOUT_MS = 10_000;

export const postJson = async (url: string, body: string, headers: Record<string, string> = {}, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<DeliveryResult> => {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'lineage-hub-alerts', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return classifyResponse(response.status, response.headers.get('retry-after'), await response.text());
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { outcome: 'retry', status: null, detail: `no answer from ${new URL(url).host}: ${cause ?? (err as Error).message}` };
  }
};
