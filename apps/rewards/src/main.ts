// First: starts OpenTelemetry (when configured) before the modules it instruments are loaded.
import '@talent/platform/tracing/register';
import 'reflect-metadata';
import { createLogger, createService, loadConfig, runService } from '@talent/platform';
import { RewardsModule } from './app.module';
import { RewardsConfigSchema } from './config';

void runService(async () => {
  const config = loadConfig(RewardsConfigSchema);
  const log = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  if (config.NODE_ENV === 'production' && config.CHAIN_ADAPTER === 'local') {
    log.warn('CHAIN_ADAPTER=local: withdrawals are recorded with a local transaction hash and nothing is sent on chain');
  }
  const app = await createService(RewardsModule.register(config), config);
  await app.listen(config.PORT, '0.0.0.0');
  log.info({ port: config.PORT }, 'rewards listening');
});
