import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;

export interface TraceContext {
  traceId: string;
  spanId: string;
  traceparent: string;
}

/**
 * Parses a W3C `traceparent` header, or starts a new trace when it is absent or malformed
 * (including the all-zero ids and the version `ff`, which the spec declares invalid).
 */
export function traceContextFrom(header: string | string[] | undefined): TraceContext {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (match && match[1] !== 'ff' && !/^0+$/.test(match[2]) && !/^0+$/.test(match[3])) {
    return { traceId: match[2], spanId: match[3], traceparent: match[0] };
  }
  return newTraceContext();
}

export function newTraceContext(): TraceContext {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}
