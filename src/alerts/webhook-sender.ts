// Delivers one alert to a webhook: JSON body, HMAC-SHA256 signature over timestamp and body, bounded retries with backoff.
import { createHmac } from 'node:crypto';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface DeliveryResult {
  delivered: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export interface WebhookSenderOptions {
  fetch?: typeof fetch;
  maxAttempts?: number;
  /** First retry delay; doubles each attempt. */
  backoffMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

export const SIGNATURE_HEADER = 'x-churnscope-signature';
export const TIMESTAMP_HEADER = 'x-churnscope-timestamp';

/** The receiver recomputes this over the raw body with the shared secret; the timestamp inside defeats replays. */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookSender {
  private readonly fetchImpl: typeof fetch;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(opts: WebhookSenderOptions = {}) {
    this.fetchImpl = opts.fetch ?? fetch;
    this.maxAttempts = opts.maxAttempts ?? 4;
    this.backoffMs = opts.backoffMs ?? 500;
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.now = opts.now ?? Date.now;
  }

  async send(target: WebhookTarget, payload: unknown): Promise<DeliveryResult> {
    const body = JSON.stringify(payload);
    let last: DeliveryResult = { delivered: false, attempts: 0 };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const timestamp = String(Math.floor(this.now() / 1000));
      try {
        const res = await this.fetchImpl(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signPayload(target.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (res.ok) return { delivered: true, attempts: attempt, status: res.status };
        last = { delivered: false, attempts: attempt, status: res.status, error: `HTTP ${res.status}` };
        // A 4xx other than 408/429 will not get better by retrying.
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return last;
      } catch (e) {
        last = { delivered: false, attempts: attempt, error: (e as Error).message };
      }
      if (attempt < this.maxAttempts) await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 1)));
    }
    return last;
  }
}
