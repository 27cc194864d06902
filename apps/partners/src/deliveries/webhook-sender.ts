import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup } from '../shared/webhook-address';
import { SigningSecrets } from '../shared/signing-secrets';

export interface WebhookMessage {
  /** The event id: the same across retries and replays, so the receiver deduplicates on it. */
  id: string;
  type: string;
  occurredAt: Date;
  /** The public, PII-free payload (validated by its schema when consumed). */
  data: unknown;
}

export type SendOutcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/** The body of every delivery, as the Standard Webhooks spec recommends: type, timestamp, data. */
export const webhookBody = (message: WebhookMessage): string =>
  JSON.stringify({ type: message.type, timestamp: message.occurredAt.toISOString(), data: message.data });

/**
 * POSTs one signed delivery (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)
 * and reports how it went. Any 2xx is delivered; redirects are not followed; the connection is
 * refused to private addresses unless allowed (see webhook-address). Never reads more of the
 * answer than its status.
 */
export async function sendWebhook(
  url: string,
  secrets: readonly string[],
  message: WebhookMessage,
  options: { timeoutMs: number; allowPrivate: boolean; now?: Date },
): Promise<SendOutcome> {
  const body = webhookBody(message);
  const at = options.now ?? new Date();
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'talent-network-webhooks/1',
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': SigningSecrets.signature(secrets, message.id, at, body),
  };
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendOutcome>((resolve) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: guardedLookup(options.allowPrivate),
        timeout: options.timeoutMs,
      },
      (res) => {
        res.resume();
        const statusCode = res.statusCode ?? 0;
        resolve(statusCode >= 200 && statusCode < 300 ? { ok: true, statusCode } : { ok: false, statusCode, error: `HTTP ${statusCode}` });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, statusCode: null, error: describe(err) }));
    req.end(body);
  });
}

/** A short, safe description of a connection failure (no URL, no answer body). */
function describe(err: NodeJS.ErrnoException): string {
  if (err.code === 'EADDRNOTALLOWED' || err.code === 'ETIMEDOUT') return err.message;
  return err.code ? `connection failed (${err.code})` : 'connection failed';
}
