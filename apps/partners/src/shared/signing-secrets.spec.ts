import { Webhook } from 'standardwebhooks';
import { newSigningSecret, SigningSecrets } from './signing-secrets';

describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'job.posted', timestamp: '2026-11-30T06:00:00.000Z', data: { jobId: 'x' } });
  const at = new Date();
  const headers = (signature: string) => ({
    'webhook-id': 'evt-1',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  });

  it('new secrets are 32 random bytes in the Standard Webhooks form, never twice the same', () => {
    const a = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(a);
  });

  it('during a rotation, a receiver holding either secret verifies; a third secret does not', () => {
    const [oldSecret, newSecret] = [newSigningSecret(), newSigningSecret()];
    const signature = SigningSecrets.signature([newSecret, oldSecret], 'evt-1', at, body);
    expect(signature.split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(body, headers(signature))).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, headers(signature))).not.toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, headers(signature))).toThrow();
    expect(() => new Webhook(newSecret).verify(body.replace('x', 'y'), headers(signature))).toThrow();
  });
});
