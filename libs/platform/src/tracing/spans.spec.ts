import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { runTracedJob, withJobTraceparent } from '../queues/job-trace';
import { activeSpanLogFields, currentTraceContext } from '../logging/trace-context';
import { markTracingStarted } from './enablement';
import { activeTraceparent, inHopSpan, SpanKind, startHopSpan } from './spans';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';
const PARENT = `00-${TRACE_ID}-${PARENT_SPAN}-01`;

describe('hop spans with tracing on', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    // The SDK's parts `startTracing` registers, with spans kept in memory instead of exported.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    markTracingStarted();
  });

  afterEach(() => exporter.reset());

  it("a producer span is a new span, child of the envelope's, and names itself for the next hop", () => {
    const span = startHopSpan('publish jobs.events.v1', { kind: SpanKind.PRODUCER, parent: PARENT, attributes: { 'messaging.system': 'kafka' } }, PARENT);
    span.end();
    const [exported] = exporter.getFinishedSpans();
    expect(exported.spanContext().traceId).toBe(TRACE_ID);
    expect(exported.parentSpanContext?.spanId).toBe(PARENT_SPAN);
    expect(exported.spanContext().spanId).not.toBe(PARENT_SPAN);
    expect(exported.kind).toBe(SpanKind.PRODUCER);
    expect(exported.attributes['messaging.system']).toBe('kafka');
    expect(span.traceparent).toBe(`00-${TRACE_ID}-${exported.spanContext().spanId}-01`);
  });

  it('a consumer span is active while its handler runs: what the handler publishes chains on it', async () => {
    const inside = await inHopSpan('process JobPosted', { kind: SpanKind.CONSUMER, parent: PARENT }, async () => ({
      traceparent: activeTraceparent(),
      current: currentTraceContext(undefined),
      logFields: activeSpanLogFields(),
    }));
    const [consumer] = exporter.getFinishedSpans();
    expect(consumer.parentSpanContext?.spanId).toBe(PARENT_SPAN);
    expect(inside.traceparent).toBe(`00-${TRACE_ID}-${consumer.spanContext().spanId}-01`);
    expect(inside.current).toEqual({ traceId: TRACE_ID, spanId: consumer.spanContext().spanId, traceparent: inside.traceparent });
    // Log lines written meanwhile name the span.
    expect(inside.logFields).toEqual({ trace_id: TRACE_ID, span_id: consumer.spanContext().spanId });
    expect(activeTraceparent()).toBeUndefined();
    expect(activeSpanLogFields()).toEqual({});
  });

  it('a failing handler marks its span as failed, with the error scrubbed, and the error goes on', async () => {
    await expect(
      inHopSpan('process JobPosted', { kind: SpanKind.CONSUMER, parent: PARENT }, async () => {
        throw new Error('duplicate key for ada@example.test');
      }),
    ).rejects.toThrow('duplicate key');
    const [consumer] = exporter.getFinishedSpans();
    expect(consumer.status.code).toBe(SpanStatusCode.ERROR);
    expect(JSON.stringify(consumer.events)).not.toContain('ada@example.test');
  });

  it('a job added inside a span runs in a span of its own, child of it, on its data without the traceparent', async () => {
    const data = await inHopSpan('POST /graphql', { kind: SpanKind.SERVER, parent: PARENT }, async () => withJobTraceparent({ chargeId: 'ch_1' }));
    const [server] = exporter.getFinishedSpans();
    const seen: Array<{ data: unknown; traceparent?: string }> = [];
    await runTracedJob(
      { name: 'local-provider.settle', id: '7', queueName: 'payments', data },
      async (received) => void seen.push({ data: received, traceparent: activeTraceparent() }),
    );
    const job = exporter.getFinishedSpans()[1];
    expect(job.name).toBe('process local-provider.settle');
    expect(job.kind).toBe(SpanKind.CONSUMER);
    expect(job.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(seen).toEqual([{ data: { chargeId: 'ch_1' }, traceparent: `00-${TRACE_ID}-${job.spanContext().spanId}-01` }]);
  });
});
