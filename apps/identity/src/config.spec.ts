import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@talent/platform';
import { IdentityConfigSchema } from './config';

const key = () => randomBytes(32).toString('base64');
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  DATABASE_URL: 'postgres://identity:pw@127.0.0.1:5432/identity',
  KAFKA_BROKERS: '127.0.0.1:9092',
  ...extra,
});
const problems = (e: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(IdentityConfigSchema, e);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
};

describe('IdentityConfigSchema: KYC_FINGERPRINT_KEY', () => {
  it('is optional outside production', () => {
    expect(loadConfig(IdentityConfigSchema, env()).KYC_FINGERPRINT_KEY).toBeUndefined();
    const fingerprintKey = key();
    expect(loadConfig(IdentityConfigSchema, env({ KYC_FINGERPRINT_KEY: fingerprintKey })).KYC_FINGERPRINT_KEY).toBe(fingerprintKey);
  });

  it('is required in production', () => {
    const production = { NODE_ENV: 'production', JWT_PRIVATE_KEY: 'pem', KYC_ENCRYPTION_KEY: key() };
    expect(problems(env(production))).toEqual([expect.stringMatching(/^KYC_FINGERPRINT_KEY: required in production/)]);
    expect(problems(env({ ...production, KYC_FINGERPRINT_KEY: key() }))).toEqual([]);
  });

  it('must be 32 bytes, base64', () => {
    expect(problems(env({ KYC_FINGERPRINT_KEY: randomBytes(16).toString('base64') }))).toEqual([
      expect.stringMatching(/^KYC_FINGERPRINT_KEY: must be 32 bytes/),
    ]);
  });

  it('must not be the encryption key', () => {
    const same = key();
    expect(problems(env({ KYC_ENCRYPTION_KEY: same, KYC_FINGERPRINT_KEY: same }))).toEqual([
      expect.stringMatching(/^KYC_FINGERPRINT_KEY: must differ from KYC_ENCRYPTION_KEY/),
    ]);
  });
});

describe('IdentityConfigSchema: KYC encryption key ring', () => {
  it('takes KYC_ENCRYPTION_KEYS with KYC_ENCRYPTION_KEY_ID, next to KYC_ENCRYPTION_KEY (the key `default`)', () => {
    expect(problems(env({ KYC_ENCRYPTION_KEY: key(), KYC_ENCRYPTION_KEYS: `2025-06:${key()}`, KYC_ENCRYPTION_KEY_ID: '2025-06' }))).toEqual([]);
    expect(problems(env({ KYC_ENCRYPTION_KEYS: `k1:${key()}` }))).toEqual([]);
  });

  it('names the variable of a malformed ring, without the key', () => {
    expect(problems(env({ KYC_ENCRYPTION_KEY: key(), KYC_ENCRYPTION_KEYS: `k2:${key()}` }))).toEqual([
      expect.stringMatching(/^KYC_ENCRYPTION_KEY_ID: required when several keys are configured \(k2, default\)/),
    ]);
    const short = randomBytes(16).toString('base64');
    const found = problems(env({ KYC_ENCRYPTION_KEYS: `k1:${short}` }));
    expect(found).toEqual([expect.stringMatching(/^KYC_ENCRYPTION_KEYS: key "k1" must be 32 bytes/)]);
    expect(found.join()).not.toContain(short);
  });

  it('in production, a ring without KYC_ENCRYPTION_KEY will do', () => {
    const production = { NODE_ENV: 'production', JWT_PRIVATE_KEY: 'pem', KYC_FINGERPRINT_KEY: key() };
    expect(problems(env(production))).toEqual([expect.stringMatching(/^KYC_ENCRYPTION_KEY: required in production/)]);
    expect(problems(env({ ...production, KYC_ENCRYPTION_KEYS: `k1:${key()}` }))).toEqual([]);
  });

  it('the fingerprint key differs from every encryption key', () => {
    const same = key();
    expect(problems(env({ KYC_ENCRYPTION_KEY: key(), KYC_ENCRYPTION_KEYS: `k2:${same}`, KYC_ENCRYPTION_KEY_ID: 'k2', KYC_FINGERPRINT_KEY: same }))).toEqual([
      expect.stringMatching(/^KYC_FINGERPRINT_KEY: must differ from KYC_ENCRYPTION_KEY/),
    ]);
  });
});
