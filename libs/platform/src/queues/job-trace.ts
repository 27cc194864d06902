import { activeTraceparent, inHopSpan, SpanKind } from '../tracing/spans';

/**
 * With tracing on, a job added inside a span carries that span's traceparent in its data, under
 * this key, and runs in a span of its own, child of it: the work it does (queries, requests such
 * as the local payment provider's webhook) stays in the trace that asked for it.
 */
export const JOB_TRACEPARENT_KEY = '__traceparent';

/** The job's data, with the active span's traceparent when there is one (tracing on). */
export function withJobTraceparent<T>(data: T): T {
  const traceparent = activeTraceparent();
  if (!traceparent || !data || typeof data !== 'object' || Array.isArray(data)) return data;
  return { ...data, [JOB_TRACEPARENT_KEY]: traceparent };
}

/**
 * Runs a job's handler on its data without the traceparent (schemas see only their fields):
 * inside a CONSUMER span child of the job's traceparent when it has one. A job without one (a
 * repeatable sweep, a job added with tracing off) starts no trace of its own.
 */
export function runTracedJob(job: { name: string; id?: string; queueName: string; data: unknown }, run: (data: unknown) => Promise<void>): Promise<void> {
  const { data } = job;
  if (!data || typeof data !== 'object' || !(JOB_TRACEPARENT_KEY in data)) return run(data);
  const { [JOB_TRACEPARENT_KEY]: traceparent, ...rest } = data as Record<string, unknown>;
  if (typeof traceparent !== 'string') return run(rest);
  const attributes = {
    'messaging.system': 'bullmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': job.queueName,
    'messaging.message.id': job.id ?? '',
  };
  return inHopSpan(`process ${job.name}`, { kind: SpanKind.CONSUMER, parent: traceparent, attributes }, () => run(rest));
}
