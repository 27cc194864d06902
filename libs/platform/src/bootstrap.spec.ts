import { createService } from './bootstrap';
import { ConfigError, type BaseConfig } from './config';

describe('createService', () => {
  it('refuses to start a subgraph in production without GATEWAY_SECRET, before creating anything', async () => {
    const config = { NODE_ENV: 'production', SERVICE_NAME: 'jobs', LOG_LEVEL: 'silent' } as BaseConfig;
    const attempt = createService({ module: class Unused {} }, config);
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/GATEWAY_SECRET: required in production/);
  });
});
