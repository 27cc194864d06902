import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { CENSOR, isSensitiveKey, redactDeep, scrubText, serializeError } from './redaction';
import { activeSpanLogFields, requestTraceContext } from './trace-context';

export interface LoggingOptions {
  service: string;
  level: string;
}

/** Keys with a serializer of their own (`pinoOptions`) that keeps only safe fields: left to it. */
const SERIALIZED_KEYS = new Set(['req', 'res']);

/**
 * Every logged object on its way to the line: secrets and personal data censored at any depth
 * (see `redactDeep`), errors reduced to what failed. Returns a copy.
 */
export function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const value = object[key];
    out[key] = SERIALIZED_KEYS.has(key) ? value : isSensitiveKey(key) ? CENSOR : redactDeep(value);
  }
  return out;
}

/** The `err` serializer: an Error as `serializeError` shows it; anything else as any other field. */
function errorSerializer(value: unknown): unknown {
  return value instanceof Error ? serializeError(value) : value;
}

/**
 * A log call's message and format arguments, scrubbed (the logged object is `formatters.log`'s).
 * pino takes the message of an error logged without one (`log.error(err)`, `log.error({ err })`)
 * from `err.message` as is: it is scrubbed here first.
 */
function scrubArguments(args: unknown[]): unknown[] {
  let list = args;
  const [first, ...rest] = args;
  if (typeof rest[0] !== 'string') {
    const err = first && typeof first === 'object' && !(first instanceof Error) ? (first as { err?: unknown; msg?: unknown }) : undefined;
    if (first instanceof Error) list = [{ err: first }, first.message, ...rest];
    else if (err?.err instanceof Error && err.msg === undefined) list = [first, err.err.message, ...rest];
  }
  return list.map((arg, i) => (typeof arg === 'string' ? scrubText(arg) : i > 0 && arg && typeof arg === 'object' ? redactDeep(arg) : arg));
}

/** Only the path of a URL: query strings may carry tokens, e-mails, GraphQL variables. */
function pathOf(url: string | undefined): string | undefined {
  return url?.split('?')[0];
}

/**
 * The platform's pino options: JSON lines, ISO time, the service's name, and the redaction every
 * line goes through: each logged object (`formatters.log`), each error (`serializers.err`) and
 * each message string (`hooks.logMethod`). Child bindings are covered by `createLogger`.
 */
export function pinoOptions(options: LoggingOptions): pino.LoggerOptions {
  return {
    level: options.level,
    base: { service: options.service },
    // With tracing on, each line names the span it was written in (trace_id, span_id).
    mixin: activeSpanLogFields,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: redactLogObject,
    },
    serializers: {
      err: errorSerializer,
      // A request is its id, method and path: no headers (authorization, cookies), no query string.
      req: (req: { id?: unknown; method?: string; url?: string; originalUrl?: string }) => ({
        id: req.id,
        method: req.method,
        url: pathOf(req.originalUrl ?? req.url),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    hooks: {
      logMethod(args, method) {
        return method.apply(this, scrubArguments(args as unknown[]) as Parameters<pino.LogFn>);
      },
    },
  };
}

type ChildFn = (bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => pino.Logger;

/**
 * Child loggers' bindings (`logger.child({ ... })`) are redacted as logged objects are. pino
 * creates a child with `Object.create(parent)`, so every descendant inherits this `child`.
 */
function redactBindings(logger: pino.Logger): pino.Logger {
  const target = logger as unknown as { child: ChildFn };
  const original = target.child;
  target.child = function child(this: pino.Logger, bindings, options) {
    return original.call(this, redactLogObject(bindings) as pino.Bindings, options);
  };
  return logger;
}

/** A plain pino logger with the same options, for code that runs outside a request (relays, consumers, scripts). */
export function createLogger(options: LoggingOptions, destination?: pino.DestinationStream): pino.Logger {
  return redactBindings(destination ? pino(pinoOptions(options), destination) : pino(pinoOptions(options)));
}

/**
 * pino-http's options: the platform's (`pinoOptions`), a request id and the W3C trace id of each
 * request. `wrapSerializers: false`: pino-http would otherwise run pino's standard serializers
 * first, which copy every field of an error (a driver's `detail`, a query's `parameters`) and
 * every request header before ours see them.
 */
export function pinoHttpOptions(options: LoggingOptions) {
  const requestLinesWritten = (pino.levels.values[options.level] ?? Infinity) <= pino.levels.values.info;
  return {
    ...pinoOptions(options),
    wrapSerializers: false,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const header = req.headers['x-request-id'];
      const id = typeof header === 'string' && /^[\w.-]{1,128}$/.test(header) ? header : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    customProps: (req: IncomingMessage) => ({ traceId: requestTraceContext(req).traceId }),
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/ready' },
    // A failed request (an error, or a 5xx) is an `error` line, seen at `warn` too. Any other is an
    // `info` line; below the configured level it is `silent`, and pino-http then skips its work per
    // response (custom props, a child logger) for a line nobody would see.
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : requestLinesWritten ? 'info' : 'silent',
  };
}

/** Structured JSON request logs with a request id and the W3C trace id of each request. */
export function createLoggerModule(options: LoggingOptions) {
  return LoggerModule.forRoot({ pinoHttp: pinoHttpOptions(options) });
}
