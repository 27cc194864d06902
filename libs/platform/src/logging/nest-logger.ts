import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Logger } from 'pino';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

const isStack = (text: string) => /\n\s*at /.test(text);

/**
 * Nest's logger before the app exists: what Nest logs while it creates the app (module
 * initialisation, a database it cannot reach, the error that stops it) goes through the
 * service's pino logger, with its redaction, instead of Nest's console logger. Once the app is
 * up, `app.useLogger(app.get(Logger))` hands over to nestjs-pino. Same contract as nestjs-pino's
 * Logger: the last optional parameter is the context, and `error(message, stack)` (Nest's
 * exception handlers) becomes an error with that stack.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.call('verbose', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.call('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.call('log', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.call('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.call('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.call('fatal', message, params);
  }

  private call(level: LogLevel, message: unknown, params: unknown[]): void {
    const log = this.logger[LEVELS[level]].bind(this.logger);
    const fields: Record<string, unknown> = {};
    let rest = params;
    const last = params[params.length - 1];
    if (typeof last === 'string' && !isStack(last)) {
      fields.context = last;
      rest = params.slice(0, -1);
    }
    if (message instanceof Error) {
      log({ ...fields, err: message });
    } else if (level === 'error' && typeof message === 'string' && typeof rest[0] === 'string' && isStack(rest[0])) {
      const err = new Error(message);
      err.stack = rest[0];
      log({ ...fields, err });
    } else if (typeof message === 'object' && message !== null) {
      log({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      log(fields, String(message));
    }
  }
}
