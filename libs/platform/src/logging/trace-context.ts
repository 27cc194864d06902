import { randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import { tracingStarted } from '../tracing/enablement';

export interface TraceContext {
  traceId: string;
  spanId: string;
  traceparent: string;
}

/**
 * Parses a W3C `traceparent` header (OpenTelemetry's W3C parser), or starts a new trace when it
 * is absent or malformed (including the all-zero ids and the version `ff`, which the spec
 * declares invalid).
 */
export function traceContextFrom(header: string | string[] | undefined): TraceContext {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  const parsed = value ? parseTraceParent(value) : null;
  if (parsed && isSpanContextValid(parsed)) {
    const { traceId, spanId } = parsed;
    return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-${parsed.traceFlags.toString(16).padStart(2, '0')}` };
  }
  return newTraceContext();
}

/**
 * Random bytes for new ids, drawn from the system's generator 4 KiB at a time (170 traces). One
 * `randomBytes` call per id costs far more than the id: every request that comes without a
 * traceparent starts a trace, and that call was about 7% of the gateway's CPU under load.
 * Each byte is handed out once.
 */
const idBytes = Buffer.alloc(4096);
let idBytesUsed = idBytes.length;

function randomHex(length: number): string {
  if (idBytesUsed + length > idBytes.length) {
    randomFillSync(idBytes);
    idBytesUsed = 0;
  }
  const hex = idBytes.toString('hex', idBytesUsed, idBytesUsed + length);
  idBytesUsed += length;
  return hex;
}

export function newTraceContext(): TraceContext {
  const traceId = randomHex(16);
  const spanId = randomHex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/**
 * This hop's trace context: with tracing on, the active span's (this service's own span, a child
 * of the caller's); off, the caller's `traceparent` as `traceContextFrom` reads it.
 */
export function currentTraceContext(header: string | string[] | undefined): TraceContext {
  const span = tracingStarted() ? trace.getActiveSpan()?.spanContext() : undefined;
  if (span && isSpanContextValid(span)) {
    return { traceId: span.traceId, spanId: span.spanId, traceparent: `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, '0')}` };
  }
  return traceContextFrom(header);
}

const requestTraceContexts = new WeakMap<IncomingMessage, TraceContext>();

/**
 * An HTTP request's trace context (`currentTraceContext` of its `traceparent`), worked out once
 * and remembered for the request's life: the traceparent middleware, the request logger and the
 * GraphQL context each ask for it, and all get the same ids.
 */
export function requestTraceContext(req: IncomingMessage): TraceContext {
  let context = requestTraceContexts.get(req);
  if (!context) requestTraceContexts.set(req, (context = currentTraceContext(req.headers.traceparent)));
  return context;
}

/** Log fields of the active span (`trace_id`, `span_id`) when tracing runs; none otherwise. */
export function activeSpanLogFields(): { trace_id?: string; span_id?: string } {
  const span = tracingStarted() ? trace.getActiveSpan()?.spanContext() : undefined;
  return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}
