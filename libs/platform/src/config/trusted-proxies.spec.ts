import { z } from 'zod';
import { BaseConfigSchema, ConfigError, loadConfig } from './config';
import { TrustedProxiesSchema } from './trusted-proxies';

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  SERVICE_NAME: 'jobs',
  PORT: '4002',
  DATABASE_URL: 'postgres://jobs@127.0.0.1:5432/jobs',
  KAFKA_BROKERS: '127.0.0.1:9092',
  ...extra,
});

describe('TrustedProxiesSchema', () => {
  it.each([
    ['', false],
    ['none', false],
    ['  NONE ', false],
    ['0', 0],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.7 ,fd00::/8', ['10.0.0.0/8', '192.168.1.7', 'fd00::/8']],
    ['loopback,uniquelocal,::1', ['loopback', 'uniquelocal', '::1']],
  ])('reads %j as %j', (input, expected) => {
    expect(TrustedProxiesSchema.parse(input)).toEqual(expected);
  });

  it.each(['true', 'everyone', '10.0.0.0/33', '::1/129', '10.0.0.1/8/1', 'example.com', '1.2.3', '-1'])('refuses %j', (input) => {
    expect(TrustedProxiesSchema.safeParse(input).success).toBe(false);
  });

  it('trusts private ranges in a subgraph by default, and refuses the old TRUST_PROXY by name', () => {
    expect(loadConfig(BaseConfigSchema, env()).TRUSTED_PROXIES).toEqual(['loopback', 'linklocal', 'uniquelocal']);
    let error: unknown;
    try {
      loadConfig(BaseConfigSchema, env({ TRUST_PROXY: 'true' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^TRUST_PROXY: replaced by TRUSTED_PROXIES/)]);
    expect(z.object({ T: TrustedProxiesSchema }).safeParse({ T: 'bogus' }).error?.issues[0].message).not.toContain('bogus');
  });
});
