import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { markTracingStarted, tracingEnabled } from './enablement';

type Environment = Record<string, string | undefined>;

/** The service's name in traces: SERVICE_NAME, else the app folder it runs from (apps/<name>/dist/main.js). */
function serviceName(env: Environment): string {
  return env.SERVICE_NAME || /apps[\\/]([^\\/]+)[\\/]dist/.exec(process.argv[1] ?? '')?.[1] || 'service';
}

/** The SDK's own complaints (an unreachable collector...) as JSON lines on stderr, like the services' other logs. */
const jsonDiagLogger = (service: string): DiagLogger => {
  const line =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      process.stderr.write(
        `${JSON.stringify({ level, time: new Date().toISOString(), service, component: 'otel', msg: message, detail: args.map(String).join(' ').slice(0, 500) || undefined })}\n`,
      );
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), verbose: line('trace') };
};

let sdk: NodeSDK | null = null;

/**
 * Starts the OpenTelemetry SDK when `tracingEnabled`: W3C trace-context propagation, spans of
 * incoming and outgoing HTTP (http, undici's fetch), express, GraphQL, PostgreSQL and Redis,
 * batched to the OTLP/HTTP (JSON) endpoint. Must run before those modules are first required
 * (their require hooks patch them on load): see `./register`. Returns whether it started.
 */
export function startTracing(env: Environment = process.env): boolean {
  if (sdk || !tracingEnabled(env)) return Boolean(sdk);
  const name = serviceName(env);
  diag.setLogger(jsonDiagLogger(name), DiagLogLevel.WARN);
  sdk = new NodeSDK({
    serviceName: name,
    textMapPropagator: new W3CTraceContextPropagator(),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
    // Traces only: pino writes the logs, prom-client serves the metrics.
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapers would drown the traces.
        ignoreIncomingRequestHook: (req) => /^\/(health|ready|metrics)(\?|$)/.test(req.url ?? ''),
      }),
      new UndiciInstrumentation(),
      new ExpressInstrumentation(),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  markTracingStarted();
  flushOnTermination(sdk);
  return true;
}

/**
 * Exports the spans still buffered before the process ends on SIGTERM/SIGINT. Nest's shutdown
 * hooks (enableShutdownHooks) close the app and raise the signal again once done: this listener
 * then stays the last one, flushes (at most 5 s), and lets the signal end the process as before.
 */
function flushOnTermination(running: NodeSDK): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return; // the app is still closing: it raises the signal again when done
      process.removeListener(signal, onSignal);
      const timeout = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      void Promise.race([running.shutdown().catch(() => undefined), timeout]).then(() => process.kill(process.pid, signal));
    };
    process.on(signal, onSignal);
  }
}
