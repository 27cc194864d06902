// First: starts OpenTelemetry (when configured) before the modules it instruments are loaded.
import '@talent/platform/tracing/register';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { keepConnectionsLongerThanClients, loadConfig, METRICS, nestBootstrapOptions, runService, traceparentMiddleware, type Metrics } from '@talent/platform';
import { GatewayConfigSchema } from './config';
import { GatewayModule } from './gateway.module';

void runService(async () => {
  const config = loadConfig(GatewayConfigSchema);
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.register(config), {
    bufferLogs: true,
    bodyParser: false,
    ...nestBootstrapOptions(config),
  });
  app.useLogger(app.get(Logger));
  // Only the configured proxies may name the client's address (req.ip, forwarded to subgraphs).
  app.set('trust proxy', config.TRUSTED_PROXIES);
  app.disable('x-powered-by');
  // No ETag: it hashes every answer, and GraphQL answers are computed per request, never revalidated.
  app.set('etag', false);
  app.use(traceparentMiddleware);
  app.use(app.get<Metrics>(METRICS).middleware);
  // Oversized bodies are refused (413) before any parsing or planning.
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.enableCors({ origin: config.CORS_ORIGINS.length ? config.CORS_ORIGINS : false, credentials: false });
  app.enableShutdownHooks();
  keepConnectionsLongerThanClients(app.getHttpServer());
  await app.listen(config.PORT, '0.0.0.0');
});
