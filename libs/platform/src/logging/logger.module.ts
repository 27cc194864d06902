import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { traceContextFrom } from './trace-context';

/**
 * Paths pino removes from every log line. Secrets (tokens, passwords, keys) and PII
 * (emails, KYC data) never reach the logs, whatever a developer passes to the logger.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.signingSecret',
  '*.email',
  '*.documentNumber',
  '*.dateOfBirth',
  '*.legalName',
  'variables.input.password',
  'variables.input.documentNumber',
  'variables.input.dateOfBirth',
  'variables.input.legalName',
  'variables.input.email',
  'variables.password',
  'variables.refreshToken',
];

export interface LoggingOptions {
  service: string;
  level: string;
}

export function pinoOptions(options: LoggingOptions): pino.LoggerOptions {
  return {
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
}

/** A plain pino logger with the same options, for code that runs outside a request (relays, consumers, scripts). */
export function createLogger(options: LoggingOptions): pino.Logger {
  return pino(pinoOptions(options));
}

/** Structured JSON request logs with a request id and the W3C trace id of each request. */
export function createLoggerModule(options: LoggingOptions) {
  return LoggerModule.forRoot({
    pinoHttp: {
      ...pinoOptions(options),
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const header = req.headers['x-request-id'];
        const id = typeof header === 'string' && /^[\w.-]{1,128}$/.test(header) ? header : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customProps: (req: IncomingMessage) => ({ traceId: traceContextFrom(req.headers.traceparent).traceId }),
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/ready' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
