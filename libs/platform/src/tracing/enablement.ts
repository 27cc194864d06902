/**
 * When tracing runs, kept apart from the SDK (`./tracing`) so that deciding, or asking whether
 * it runs, loads nothing of it: off, the services pay nothing for tracing.
 */
type Environment = Record<string, string | undefined>;

/**
 * Tracing is off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and OTEL_SDK_DISABLED is not true. Off, trace ids still
 * travel by hand (headers, envelopes, Kafka headers, logs) as before.
 */
export function tracingEnabled(env: Environment): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return Boolean(endpoint) && env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true';
}

let started = false;

export function markTracingStarted(): void {
  started = true;
}

/** Whether the OpenTelemetry SDK runs in this process (see `startTracing`). */
export function tracingStarted(): boolean {
  return started;
}
