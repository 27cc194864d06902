import { Counter, Gauge, type Registry } from 'prom-client';

/** The states whose counts say whether a queue keeps up: a backlog, stuck work, failures to look at. */
export const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;
type QueueState = (typeof QUEUE_STATES)[number];

/** How long a scrape waits for Redis: a scrape must answer even while Redis does not. */
const COUNT_TIMEOUT_MS = 2000;

/**
 * A BullMQ queue's metrics: `job_queue_depth{queue, state}`, read from Redis at scrape time,
 * and `job_queue_failures_total{queue, job, outcome}`, where outcome is "retry" (BullMQ runs
 * it again later) or "exhausted" (no attempt left: the job stays failed).
 */
export class JobQueueMetrics {
  private readonly failures: Counter<'queue' | 'job' | 'outcome'>;

  constructor(
    registry: Registry,
    private readonly queue: string,
    countJobs: (...states: QueueState[]) => Promise<Record<string, number>>,
  ) {
    new Gauge({
      name: 'job_queue_depth',
      help: 'Jobs in a BullMQ queue by state (waiting, delayed, active, failed), read at scrape time',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        // No stale numbers: while Redis does not answer, the series are absent (alert on absent()).
        this.reset();
        const counts = await withTimeout(countJobs(...QUEUE_STATES), COUNT_TIMEOUT_MS).catch(() => null);
        if (!counts) return;
        for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
      },
    });
    this.failures = new Counter({
      name: 'job_queue_failures_total',
      help: 'Failed job attempts by job name, and whether the job is retried or has no attempt left',
      labelNames: ['queue', 'job', 'outcome'],
      registers: [registry],
    });
  }

  /** `job` must come from the service's catalog (bounded), never from job data. */
  failed(job: string, retried: boolean): void {
    this.failures.inc({ queue: this.queue, job, outcome: retried ? 'retry' : 'exhausted' });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
