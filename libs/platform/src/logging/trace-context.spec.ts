import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { newTraceContext, requestTraceContext, traceContextFrom } from './trace-context';

const VALID = /^00-[\da-f]{32}-[\da-f]{16}-01$/;
const header = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceContextFrom', () => {
  it('keeps a valid traceparent from the caller', () => {
    expect(traceContextFrom(header)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceparent: header,
    });
    expect(traceContextFrom(`  ${header} `).traceparent).toBe(header);
    expect(traceContextFrom([header, 'other']).traceparent).toBe(header);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['malformed', 'not-a-traceparent'],
    ['too short a trace id', '00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01'],
    ['non-hex', '00-4bf92f3577b34da6a3ce929d0e0e473z-00f067aa0ba902b7-01'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['the forbidden version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
  ])('starts a fresh, valid trace when the header is %s', (_, value) => {
    const context = traceContextFrom(value);
    expect(context.traceparent).toMatch(VALID);
    expect(context.traceparent).toBe(`00-${context.traceId}-${context.spanId}-01`);
    expect(context.traceId).not.toMatch(/^0+$/);
    expect(context.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});

describe('newTraceContext', () => {
  it('starts a different trace every time', () => {
    const a = newTraceContext();
    const b = newTraceContext();
    expect(a.traceparent).toMatch(VALID);
    expect(a.traceId).not.toBe(b.traceId);
    expect(a.spanId).not.toBe(b.spanId);
  });

  it('never repeats an id across many traces (past the point where its random bytes are refilled)', () => {
    const contexts = Array.from({ length: 1000 }, () => newTraceContext());
    expect(new Set(contexts.map((c) => c.traceId)).size).toBe(1000);
    expect(new Set(contexts.map((c) => c.spanId)).size).toBe(1000);
    expect(new Set(contexts.flatMap((c) => [c.traceId.slice(0, 16), c.traceId.slice(16), c.spanId])).size).toBe(3000);
    for (const context of contexts) expect(context.traceparent).toMatch(VALID);
  });
});

describe('requestTraceContext', () => {
  const requestWith = (traceparent?: string): IncomingMessage => {
    const req = new IncomingMessage(new Socket());
    req.headers = traceparent ? { traceparent } : {};
    return req;
  };

  it("keeps the caller's valid trace", () => {
    expect(requestTraceContext(requestWith(header)).traceparent).toBe(header);
  });

  it('starts one trace per request without one, and gives every reader of that request the same ids', () => {
    const req = requestWith();
    const first = requestTraceContext(req);
    expect(first.traceparent).toMatch(VALID);
    expect(requestTraceContext(req)).toEqual(first);
    expect(requestTraceContext(requestWith()).traceId).not.toBe(first.traceId);
  });
});
