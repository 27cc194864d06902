import { activeTraceparent, inHopSpan, SpanKind, startHopSpan } from './spans';
import { tracingEnabled, tracingStarted } from './enablement';
import { runTracedJob, withJobTraceparent } from '../queues/job-trace';
import { activeSpanLogFields, currentTraceContext } from '../logging/trace-context';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('tracingEnabled', () => {
  it('is off by default', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBe(false);
  });

  it('is on with an OTLP endpoint (or a traces endpoint)', () => {
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
  });

  it('stays off when OTEL_SDK_DISABLED is true, whatever the endpoint', () => {
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'false' })).toBe(true);
  });
});

describe('with tracing off (the SDK never started)', () => {
  it('creates no span: the traceparent carried by hand travels on unchanged', async () => {
    expect(tracingStarted()).toBe(false);
    expect(activeTraceparent()).toBeUndefined();
    expect(activeSpanLogFields()).toEqual({});
    expect(currentTraceContext(PARENT).traceparent).toBe(PARENT);
    const span = startHopSpan('publish jobs.events.v1', { kind: SpanKind.PRODUCER, parent: PARENT }, PARENT);
    expect(span.traceparent).toBe(PARENT);
    span.end();
    await expect(inHopSpan('process JobPosted', { kind: SpanKind.CONSUMER, parent: PARENT }, async () => activeTraceparent())).resolves.toBeUndefined();
  });

  it('leaves job data as it is', async () => {
    expect(withJobTraceparent({ chargeId: 'ch_1' })).toEqual({ chargeId: 'ch_1' });
    const seen: unknown[] = [];
    await runTracedJob({ name: 'settle', queueName: 'payments', data: { chargeId: 'ch_1' } }, async (data) => void seen.push(data));
    expect(seen).toEqual([{ chargeId: 'ch_1' }]);
  });
});
