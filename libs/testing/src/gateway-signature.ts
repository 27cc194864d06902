import { createHash, createHmac } from 'node:crypto';

/**
 * The gateway's `x-gateway-signature` header for a body, written from the documented format
 * (t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + hex SHA-256(body))>) rather than
 * imported from the platform kit: tests that sign this way fail if the kit drifts from its
 * documentation, and the harness keeps no dependency on the code it tests.
 */
export function gatewaySignatureHeaders(secret: string, body: string, nowMs = Date.now()): Record<string, string> {
  const t = Math.floor(nowMs / 1000);
  const v1 = createHmac('sha256', secret)
    .update(`${t}.${createHash('sha256').update(body).digest('hex')}`)
    .digest('hex');
  return { 'x-gateway-signature': `t=${t},v1=${v1}` };
}
