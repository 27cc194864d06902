import { Queue, Worker, type ConnectionOptions, type JobsOptions, type RepeatOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { loggableError } from '../logging/redaction';
import { assertCatalogComplete, type JobData, type JobDefinition } from './job-catalog';
import { runTracedJob, withJobTraceparent } from './job-trace';
import { JobQueueMetrics } from './job-queue-metrics';

export type JobHandlerFn = (data: unknown, meta: { id?: string; attemptsMade: number }) => Promise<void>;

export interface JobQueueOptions {
  /** Queue name: one queue per service. */
  name: string;
  prefix: string;
  connection: ConnectionOptions;
  catalog: readonly JobDefinition[];
  concurrency?: number;
  /** Where the queue's depth by state and its failed attempts are reported. */
  metrics?: Registry;
}

/**
 * One BullMQ queue and worker per service, dispatching by job name to the single
 * handler of each job kind. Data is validated on add and again on run.
 */
export class JobQueue {
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private readonly handlers = new Map<string, JobHandlerFn>();
  private readonly catalog: Map<string, JobDefinition>;
  private readonly metrics: JobQueueMetrics | null;

  constructor(
    private readonly options: JobQueueOptions,
    private readonly logger: Logger,
  ) {
    this.catalog = new Map(options.catalog.map((d) => [d.name, d]));
    this.queue = new Queue(options.name, { connection: options.connection, prefix: options.prefix });
    // Without a listener, BullMQ prints connection errors to stderr itself, past pino.
    this.queue.on('error', (err) => this.logger.warn({ err }, 'job queue connection error'));
    this.metrics = options.metrics ? new JobQueueMetrics(options.metrics, options.name, (...states) => this.queue.getJobCounts(...states)) : null;
  }

  handle(definition: JobDefinition, fn: JobHandlerFn): void {
    if (this.handlers.has(definition.name)) throw new Error(`job "${definition.name}" has two handlers`);
    this.handlers.set(definition.name, fn);
  }

  async start(): Promise<void> {
    assertCatalogComplete(this.options.catalog, [...this.handlers.keys()]);
    if (this.catalog.size === 0) return;
    this.worker = new Worker(
      this.options.name,
      async (job) => {
        const definition = this.catalog.get(job.name);
        const fn = this.handlers.get(job.name);
        if (!definition || !fn) throw new Error(`no handler for job ${job.name}`);
        await runTracedJob(job, (raw) => fn(definition.schema.parse(raw), { id: job.id, attemptsMade: job.attemptsMade }));
      },
      { connection: this.options.connection, prefix: this.options.prefix, concurrency: this.options.concurrency ?? 4 },
    );
    this.worker.on('failed', (job, err) => {
      this.logger.error({ err: loggableError(err), job: job?.name, jobId: job?.id }, 'job failed');
      // BullMQ sets finishedOn only when the job stays failed (attempts spent or an unrecoverable error).
      if (job) this.metrics?.failed(this.catalog.has(job.name) ? job.name : 'unknown', !job.finishedOn);
    });
    this.worker.on('error', (err) => this.logger.warn({ err }, 'job worker error'));
    await this.worker.waitUntilReady();
  }

  async add<D extends JobDefinition>(definition: D, data: JobData<D>, options: JobsOptions = {}): Promise<string | undefined> {
    this.assertKnown(definition);
    const parsed = definition.schema.parse(data);
    const job = await this.queue.add(definition.name, withJobTraceparent(parsed), {
      attempts: definition.attempts ?? 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
      ...options,
    });
    return job.id;
  }

  /** Registers (or updates) a repeatable job under a stable scheduler id. */
  async repeat<D extends JobDefinition>(schedulerId: string, definition: D, data: JobData<D>, repeat: RepeatOptions): Promise<void> {
    this.assertKnown(definition);
    await this.queue.upsertJobScheduler(schedulerId, repeat, { name: definition.name, data: definition.schema.parse(data) });
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  private assertKnown(definition: JobDefinition): void {
    if (!this.catalog.has(definition.name)) throw new Error(`job "${definition.name}" is not in this service's catalog`);
  }
}
