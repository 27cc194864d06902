import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Proof that a subgraph request came from the gateway. The gateway sends
 *
 *   x-gateway-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(GATEWAY_SECRET, t + "." + hex SHA-256(raw body))>
 *
 * and every subgraph recomputes it over the bytes it received. The timestamp bounds a
 * replay of a captured request to the tolerance window; the body hash binds the
 * signature to that one operation and its variables. The scheme is versioned (`v1`) so
 * a later one can be rolled in beside it.
 */
export const GATEWAY_SIGNATURE_HEADER = 'x-gateway-signature';

/** How far a signature's timestamp may be from the subgraph's clock, either way (clock skew plus transit). */
export const GATEWAY_SIGNATURE_TOLERANCE_SECONDS = 60;

export type GatewaySignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

const bodyDigest = (body: string | Buffer): string => createHash('sha256').update(body).digest('hex');

const mac = (secret: string, timestamp: string, body: string | Buffer): Buffer =>
  createHmac('sha256', secret)
    .update(`${timestamp}.${bodyDigest(body)}`)
    .digest();

/** The header value for a request body, signed at `nowMs`. */
export function signGatewayRequest(secret: string, body: string | Buffer, nowMs = Date.now()): string {
  const timestamp = String(Math.floor(nowMs / 1000));
  return `t=${timestamp},v1=${mac(secret, timestamp, body).toString('hex')}`;
}

/** Checks a header value against the raw body received; constant-time on the MAC. */
export function verifyGatewaySignature(
  secret: string,
  header: string | string[] | undefined,
  body: string | Buffer,
  nowMs = Date.now(),
  toleranceSeconds = GATEWAY_SIGNATURE_TOLERANCE_SECONDS,
): GatewaySignatureCheck {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  if (Array.isArray(header)) return { ok: false, reason: 'malformed' };
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = parts.get('t');
  const signature = parts.get('v1');
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature || !/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = mac(secret, timestamp, body);
  return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
