import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import type { BaseConfig } from './config';
import { ConfigError } from './config';
import { traceContextFrom } from './logging/trace-context';
import type { Metrics } from './metrics/metrics';
import { METRICS } from './metrics/metrics.controller';

export interface ServiceOptions {
  /** Largest accepted JSON body. */
  bodyLimit?: string;
}

/** Gives every request a W3C trace context: kept from the caller when valid, new otherwise. */
export function traceparentMiddleware(req: Request, _res: Response, next: NextFunction): void {
  req.headers.traceparent = traceContextFrom(req.headers.traceparent).traceparent;
  next();
}

/** Creates and starts a service's HTTP server (GraphQL, /health, /ready) with the platform's defaults. */
export async function createService(module: DynamicModule, config: BaseConfig, options: ServiceOptions = {}) {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.TRUST_PROXY ? 'loopback, linklocal, uniquelocal' : false);
  app.disable('x-powered-by');
  app.use(traceparentMiddleware);
  app.use(app.get<Metrics>(METRICS).middleware);
  app.useBodyParser('json', { limit: options.bodyLimit ?? '256kb' });
  app.enableShutdownHooks();
  return app;
}

/** Entry point helper: a configuration error prints the names of the bad variables and exits 1. */
export async function runService(start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (error instanceof ConfigError || (error instanceof Error && error.message.startsWith('Invalid configuration'))) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  }
}
