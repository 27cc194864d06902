import { z } from 'zod';
import { BaseConfigSchema, ConfigError, loadConfig } from './config';

const goodEnv = (): NodeJS.ProcessEnv => ({
  SERVICE_NAME: 'identity',
  PORT: '4001',
  DATABASE_URL: 'postgres://identity:pw@127.0.0.1:5432/identity',
  KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.2:9092,',
  UNRELATED: 'ignored',
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads a good environment, coercing numbers, splitting brokers and applying defaults', () => {
    const config = loadConfig(BaseConfigSchema, goodEnv());
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      SERVICE_NAME: 'identity',
      PORT: 4001,
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://identity:pw@127.0.0.1:5432/identity',
      DATABASE_POOL_SIZE: 10,
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.2:9092'],
      TRUSTED_PROXIES: ['loopback', 'linklocal', 'uniquelocal'],
      OUTBOX_POLL_INTERVAL_MS: 10_000,
      KAFKA_CONSUMER_MAX_WAIT_MS: 5_000,
    });
    expect(config).not.toHaveProperty('UNRELATED');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads a service's extension of the base schema", () => {
    const schema = BaseConfigSchema.extend({ SIGNING_KEY_PATH: z.string().min(1) });
    const config = loadConfig(schema, { ...goodEnv(), SIGNING_KEY_PATH: '/keys/ed25519.pem', TRUSTED_PROXIES: '' });
    expect(config.SIGNING_KEY_PATH).toBe('/keys/ed25519.pem');
    expect(config.TRUSTED_PROXIES).toBe(false);
  });

  it('names every missing or malformed variable, and never prints a value', () => {
    const secret = 'hunter2-d0nt-l0g-me';
    const schema = BaseConfigSchema.extend({ JWT_SIGNING_SECRET: z.string().min(64) });
    const env = goodEnv();
    delete env.DATABASE_URL;
    env.PORT = 'eighty';
    env.JWT_SIGNING_SECRET = secret;
    env.REDIS_URL = `http://default:${secret}@redis.internal:6379`;

    const error = configError(() => loadConfig(schema, env));

    expect(error.message).toMatch(/DATABASE_URL: .*\(not set\)/);
    expect(error.message).toMatch(/PORT: /);
    expect(error.message).toMatch(/JWT_SIGNING_SECRET: /);
    expect(error.message).toMatch(/REDIS_URL: /);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('eighty');
    expect(error.problems).toHaveLength(4);
    expect(error.problems.join('\n')).not.toContain(secret);
  });
});
