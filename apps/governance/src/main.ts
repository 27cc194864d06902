// First: starts OpenTelemetry (when configured) before the modules it instruments are loaded.
import '@talent/platform/tracing/register';
import 'reflect-metadata';
import { createLogger, createService, loadConfig, runService } from '@talent/platform';
import { GovernanceModule } from './app.module';
import { GovernanceConfigSchema } from './config';

void runService(async () => {
  const config = loadConfig(GovernanceConfigSchema);
  const log = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const app = await createService(GovernanceModule.register(config), config);
  await app.listen(config.PORT, '0.0.0.0');
  log.info({ port: config.PORT }, 'governance listening');
});
