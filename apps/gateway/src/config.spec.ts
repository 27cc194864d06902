import { ConfigError, loadConfig } from '@talent/platform';
import { GatewayConfigSchema, rateLimitOf } from './config';

const SECRET = 'x'.repeat(32);
const problems = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(GatewayConfigSchema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
};

describe('GatewayConfigSchema: edge hygiene', () => {
  it('requires GATEWAY_SECRET in production only, and a long one', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^GATEWAY_SECRET: required in production/)]);
    expect(problems({ NODE_ENV: 'production', GATEWAY_SECRET: SECRET })).toEqual([]);
    expect(problems({ NODE_ENV: 'development' })).toEqual([]);
    expect(problems({ GATEWAY_SECRET: 'short' })).toEqual([expect.stringMatching(/^GATEWAY_SECRET: must be at least 32 characters/)]);
  });

  it('keeps introspection off unless GRAPHQL_INTROSPECTION says otherwise, in every environment', () => {
    for (const NODE_ENV of ['development', 'test']) expect(loadConfig(GatewayConfigSchema, { NODE_ENV }).GRAPHQL_INTROSPECTION).toBe(false);
    expect(loadConfig(GatewayConfigSchema, { GRAPHQL_INTROSPECTION: 'true' }).GRAPHQL_INTROSPECTION).toBe(true);
  });

  it('limits each client to 600 requests a minute in production, generously elsewhere, as configured when set', () => {
    expect(rateLimitOf(loadConfig(GatewayConfigSchema, { NODE_ENV: 'production', GATEWAY_SECRET: SECRET }))).toEqual({ requests: 600, windowSeconds: 60 });
    expect(rateLimitOf(loadConfig(GatewayConfigSchema, { NODE_ENV: 'test' }))).toEqual({ requests: 100_000, windowSeconds: 60 });
    expect(rateLimitOf(loadConfig(GatewayConfigSchema, { RATE_LIMIT_REQUESTS: '5', RATE_LIMIT_WINDOW_SECONDS: '10' }))).toEqual({
      requests: 5,
      windowSeconds: 10,
    });
  });
});
