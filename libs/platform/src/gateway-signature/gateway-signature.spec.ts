import { createHash, createHmac } from 'node:crypto';
import { signGatewayRequest, verifyGatewaySignature } from './gateway-signature';
import { gatewaySignatureMiddleware } from './gateway-signature.middleware';

const SECRET = 'a-gateway-secret-of-at-least-32-characters';
const BODY = JSON.stringify({ query: '{ me { id } }', variables: {} });
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('gateway request signature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t.sha256(body))>, as documented for other clients', () => {
    const t = NOW / 1000;
    const expected = createHmac('sha256', SECRET)
      .update(`${t}.${createHash('sha256').update(BODY).digest('hex')}`)
      .digest('hex');
    expect(signGatewayRequest(SECRET, BODY, NOW)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies over the same bytes, as a string or a buffer', () => {
    const header = signGatewayRequest(SECRET, BODY, NOW);
    expect(verifyGatewaySignature(SECRET, header, BODY, NOW)).toEqual({ ok: true });
    expect(verifyGatewaySignature(SECRET, header, Buffer.from(BODY), NOW + 30_000)).toEqual({ ok: true });
  });

  it('refuses another body, another secret, a missing or malformed header', () => {
    const header = signGatewayRequest(SECRET, BODY, NOW);
    expect(verifyGatewaySignature(SECRET, header, BODY.replace('me', 'it'), NOW)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyGatewaySignature(`${SECRET}x`, header, BODY, NOW)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyGatewaySignature(SECRET, undefined, BODY, NOW)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyGatewaySignature(SECRET, '', BODY, NOW)).toEqual({ ok: false, reason: 'missing' });
    for (const bad of ['garbage', `t=${NOW / 1000}`, `t=${NOW / 1000},v1=zz`, `t=abc,v1=${'0'.repeat(64)}`, [header, header]]) {
      expect(verifyGatewaySignature(SECRET, bad, BODY, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses a signature older or newer than the tolerance (a replayed or pre-computed request)', () => {
    const header = signGatewayRequest(SECRET, BODY, NOW);
    expect(verifyGatewaySignature(SECRET, header, BODY, NOW + 61_000)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyGatewaySignature(SECRET, header, BODY, NOW - 61_000)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyGatewaySignature(SECRET, header, BODY, NOW + 5_000, 2)).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('gateway signature middleware', () => {
  const warnings: unknown[] = [];
  const middleware = gatewaySignatureMiddleware(SECRET, { warn: (...args: unknown[]) => warnings.push(args) } as never);
  const run = (headers: Record<string, string>, rawBody?: Buffer) => {
    const res = { statusCode: 200, body: '', status: jest.fn(), type: jest.fn(), send: jest.fn() };
    res.status.mockImplementation((code: number) => ((res.statusCode = code), res));
    res.type.mockReturnValue(res);
    res.send.mockImplementation((body: string) => ((res.body = body), res));
    const next = jest.fn();
    middleware({ headers, rawBody, method: 'POST', ip: '10.0.0.9' } as never, res as never, next);
    return { res, next };
  };

  it('lets a request signed over its raw body through', () => {
    const { res, next } = run({ 'x-gateway-signature': signGatewayRequest(SECRET, BODY) }, Buffer.from(BODY));
    expect(next).toHaveBeenCalledTimes(1);
    expect(res.status).not.toHaveBeenCalled();
  });

  it('answers anything else with 401 and a GraphQL UNAUTHENTICATED error, logging why (never the header)', () => {
    const signature = signGatewayRequest(SECRET, BODY);
    for (const [headers, body] of [
      [{}, BODY],
      [{ 'x-gateway-signature': signature }, `${BODY} `],
      [{ 'x-gateway-signature': signature }, undefined],
    ] as const) {
      const { res, next } = run(headers, body === undefined ? undefined : Buffer.from(body));
      expect(next).not.toHaveBeenCalled();
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(res.body)).toEqual({ errors: [{ message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    expect(JSON.stringify(warnings)).not.toContain(signature);
    expect(warnings).toHaveLength(3);
  });
});
