// First: starts OpenTelemetry (when configured) before the modules it instruments are loaded.
import '@talent/platform/tracing/register';
import 'reflect-metadata';
import { createLogger, createService, loadConfig, runService } from '@talent/platform';
import { MatchingModule } from './app.module';
import { MatchingConfigSchema } from './config';

void runService(async () => {
  const config = loadConfig(MatchingConfigSchema);
  const log = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const app = await createService(MatchingModule.register(config), config);
  await app.listen(config.PORT, '0.0.0.0');
  log.info({ port: config.PORT, matchesPerJob: config.MATCHES_PER_JOB }, 'matching listening');
});
