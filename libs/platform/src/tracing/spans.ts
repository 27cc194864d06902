import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { scrubText } from '../logging/redaction';
import { tracingStarted } from './enablement';

/**
 * Helpers for the hops OpenTelemetry does not instrument itself: the outbox, the relay's Kafka
 * sends, the consumers and the BullMQ jobs. Each hop is a span of its own, child of the
 * traceparent the previous hop carried. With tracing off they do nothing and cost nothing: the
 * traceparent carried by hand travels on unchanged.
 */

export { SpanKind };

/** The W3C traceparent of the active span, when tracing runs and a span is active. */
export function activeTraceparent(): string | undefined {
  if (!tracingStarted()) return undefined;
  return traceparentOf(context.active());
}

function traceparentOf(ctx: Context): string | undefined {
  if (!trace.getSpan(ctx)?.spanContext()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** The context a traceparent (from a header, an envelope, a job) names; the root context when absent or invalid. */
function contextFrom(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

export interface HopSpanOptions {
  kind: SpanKind;
  /** The previous hop's traceparent; without it, the span is a child of the active one (or a new trace). */
  parent?: string;
  attributes?: Attributes;
}

export interface HopSpan {
  /** This span's own traceparent, for the next hop to carry; `fallback` when tracing is off. */
  traceparent: string | undefined;
  end(error?: unknown): void;
}

/** Starts a span for one hop without making it active (the relay sends many at once). */
export function startHopSpan(name: string, options: HopSpanOptions, fallback?: string): HopSpan {
  if (!tracingStarted()) return { traceparent: fallback, end: () => undefined };
  const parent = options.parent ? contextFrom(options.parent) : context.active();
  const span = trace.getTracer('@talent/platform').startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  return { traceparent: traceparentOf(trace.setSpan(parent, span)) ?? fallback, end: (error) => endSpan(span, error) };
}

/** Runs `fn` inside a span of its own for one hop, so that what it does (queries, requests, events) is part of it. */
export async function inHopSpan<T>(name: string, options: HopSpanOptions, fn: () => Promise<T>): Promise<T> {
  if (!tracingStarted()) return fn();
  const parent = options.parent ? contextFrom(options.parent) : context.active();
  const span = trace.getTracer('@talent/platform').startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  try {
    const result = await context.with(trace.setSpan(parent, span), fn);
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    // The error's class and its message scrubbed as in logs (no values, no e-mails), no stack.
    const message = scrubText(error instanceof Error ? error.message : String(error)).slice(0, 300);
    span.recordException({ name: error instanceof Error ? error.name : 'Error', message });
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
