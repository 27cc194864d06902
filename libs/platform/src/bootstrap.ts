import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import type { BaseConfig } from './config';
import { ConfigError } from './config';
import { GATEWAY_SIGNATURE_HEADER, gatewaySignatureMiddleware } from './gateway-signature';
import { createLogger } from './logging/logger.module';
import { PinoNestLogger } from './logging/nest-logger';
import { requestTraceContext } from './logging/trace-context';
import type { Metrics } from './metrics/metrics';
import { METRICS } from './metrics/metrics.controller';

export interface ServiceOptions {
  /** Largest accepted JSON body. */
  bodyLimit?: string;
}

/**
 * Gives every request a W3C trace context: with tracing on, this request's own server span
 * (a child of the caller's); off, the caller's when valid, a new one otherwise. What reads the
 * header next (request context, logs) passes it on.
 */
export function traceparentMiddleware(req: Request, _res: Response, next: NextFunction): void {
  req.headers.traceparent = requestTraceContext(req).traceparent;
  next();
}

/** Creates and starts a service's HTTP server (GraphQL, /health, /ready) with the platform's defaults. */
export async function createService(module: DynamicModule, config: BaseConfig, options: ServiceOptions = {}) {
  if (config.NODE_ENV === 'production' && !config.GATEWAY_SECRET) {
    throw new ConfigError(["GATEWAY_SECRET: required in production, the same value as the gateway's (openssl rand -base64 32) (not set)"]);
  }
  // rawBody: the gateway signature is checked over the exact bytes received.
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bufferLogs: true,
    bodyParser: false,
    rawBody: true,
    ...nestBootstrapOptions(config),
  });
  app.useLogger(app.get(Logger));
  // Only the configured proxies may name the client's address (req.ip): throttles and logs depend on it.
  app.set('trust proxy', config.TRUSTED_PROXIES);
  app.disable('x-powered-by');
  // No ETag: it hashes every answer, and GraphQL answers are computed per request, never revalidated.
  app.set('etag', false);
  app.use(traceparentMiddleware);
  app.use(app.get<Metrics>(METRICS).middleware);
  app.useBodyParser('json', { limit: options.bodyLimit ?? '256kb' });
  requireGatewaySignature(app, config);
  app.enableShutdownHooks();
  keepConnectionsLongerThanClients(app.getHttpServer());
  return app;
}

/**
 * /graphql answers only requests the gateway signed (see `gateway-signature.ts`); /health,
 * /ready, /metrics and /.well-known/jwks.json stay open to probes, scrapers and token
 * verifiers. Without GATEWAY_SECRET (development and tests only) it accepts anything, and says so.
 */
function requireGatewaySignature(app: NestExpressApplication, config: BaseConfig): void {
  const log = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL }).child({ component: 'gateway-signature' });
  if (!config.GATEWAY_SECRET) {
    log.warn(`GATEWAY_SECRET is not set: /graphql accepts requests without ${GATEWAY_SIGNATURE_HEADER} (never do this in production)`);
    return;
  }
  app.use('/graphql', gatewaySignatureMiddleware(config.GATEWAY_SECRET, log));
}

/**
 * Nest's options for creating an app: what it logs while creating the app goes through pino
 * (`PinoNestLogger`), and an error that stops it is thrown to `runService` instead of aborting
 * the process, so it is logged there, redacted, like every other line.
 */
export function nestBootstrapOptions(config: Pick<BaseConfig, 'SERVICE_NAME' | 'LOG_LEVEL'>) {
  return { logger: new PinoNestLogger(createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL })), abortOnError: false } as const;
}

/** The service's name before its configuration is read: SERVICE_NAME, else the app folder it runs from. */
function serviceNameFromEnvironment(): string {
  return process.env.SERVICE_NAME || /apps[\\/]([^\\/]+)[\\/]dist/.exec(process.argv[1] ?? '')?.[1] || 'service';
}

/**
 * Keeps idle keep-alive connections open longer than the clients' pools do (the gateway's
 * subgraph fetcher, load balancers). With Node's default of 5 s, a server may close a socket
 * at the moment a client reuses it: the request fails with ECONNRESET ("socket hang up"),
 * most often on a loaded machine.
 */
export function keepConnectionsLongerThanClients(server: { keepAliveTimeout: number; headersTimeout: number }): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000; // must exceed keepAliveTimeout
}

/**
 * Entry point helper. Whatever stops the service is one JSON line through pino, redacted like
 * any other (no query parameters, no driver detail, no credentials in URLs): a configuration
 * error names the bad variables (never their values) and exits 1; so does any other start-up
 * failure, and an uncaught exception or unhandled rejection later on. Node's process warnings
 * are logged through pino too.
 */
export async function runService(start: () => Promise<void>): Promise<void> {
  const level = process.env.LOG_LEVEL && /^(fatal|error|warn|info|debug|trace|silent)$/.test(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : 'info';
  const log = createLogger({ service: serviceNameFromEnvironment(), level });
  const fail = (message: string, error: unknown) => {
    if (error instanceof ConfigError) log.fatal({ problems: error.problems }, error.message);
    else if (error instanceof Error && error.message.startsWith('Invalid configuration')) log.fatal(error.message);
    else log.fatal({ err: error }, message);
    process.exit(1);
  };
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log.warn({ err: warning }, 'process warning'));
  process.on('uncaughtException', (error) => fail('uncaught exception', error));
  process.on('unhandledRejection', (reason) => fail('unhandled rejection', reason));
  try {
    await start();
  } catch (error) {
    fail('failed to start', error);
  }
}
