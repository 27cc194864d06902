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
