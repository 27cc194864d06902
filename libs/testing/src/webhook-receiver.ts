import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() when the whole body had arrived. */
  receivedAt: number;
}

export interface WebhookReceiver {
  /** Where to point a partner node (http://127.0.0.1:<port>/webhooks). */
  url: string;
  /** Every request received, in order. */
  received: ReceivedWebhook[];
  /** The status answered from now on (2xx: delivered; anything else makes the sender retry). */
  answer: number;
  stop(): Promise<void>;
}

/**
 * A partner node's webhook endpoint on localhost, as a partner would run one: it records every
 * delivery (and hands it to `onDelivery`, e.g. to verify its signature) and answers `answer`.
 * Used by tests, the partners benchmark and `npm run dev`'s demo partner.
 */
export async function startWebhookReceiver(
  options: { port?: number; answer?: number; onDelivery?: (delivery: ReceivedWebhook) => void } = {},
): Promise<WebhookReceiver> {
  const state = { answer: options.answer ?? 204 };
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const delivery = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: performance.now() };
      received.push(delivery);
      options.onDelivery?.(delivery);
      res.statusCode = state.answer;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', resolve));
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received,
    get answer() {
      return state.answer;
    },
    set answer(status: number) {
      state.answer = status;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
