import { Redis } from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { testRedisUrl, uniquePrefix, waitFor } from '@talent/testing';
import { defineJob } from './job-catalog';
import { JobQueue } from './job-queue';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

const SendDigest = defineJob({ name: 'send-digest', schema: z.object({ n: z.number().int() }), attempts: 2 });
const catalog = [SendDigest];

/** One sample of the registry's text output, as Prometheus scrapes it. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('JobQueue metrics (BullMQ on the real Redis)', () => {
  const prefix = uniquePrefix('jobqm');
  const url = new URL(testRedisUrl());
  const connection = { host: url.hostname, port: Number(url.port || 6379), db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0 };
  const queues: JobQueue[] = [];

  afterAll(async () => {
    for (const queue of queues) await queue.close();
    const redis = new Redis(testRedisUrl());
    const leftovers = await redis.keys(`${prefix}:*`);
    if (leftovers.length) await redis.del(...leftovers);
    await redis.quit();
  });

  it('shows the queue depth by state at scrape time, and failed attempts by job', async () => {
    const registry = new Registry();
    const queue = new JobQueue({ name: 'digests', prefix, connection, catalog, metrics: registry }, logger);
    queues.push(queue);

    await queue.add(SendDigest, { n: 1 });
    await queue.add(SendDigest, { n: 2 });
    await queue.add(SendDigest, { n: 3 }, { delay: 60_000 });

    let text = await registry.metrics();
    expect(sample(text, 'job_queue_depth{queue="digests",state="waiting"}')).toBe(2);
    expect(sample(text, 'job_queue_depth{queue="digests",state="delayed"}')).toBe(1);
    expect(sample(text, 'job_queue_depth{queue="digests",state="active"}')).toBe(0);
    expect(sample(text, 'job_queue_depth{queue="digests",state="failed"}')).toBe(0);

    // Every run fails: each job is retried once (after its backoff), then stays failed.
    queue.handle(SendDigest, async () => {
      throw new Error('mail server down');
    });
    await queue.start();
    await waitFor(async () => sample(await registry.metrics(), 'job_queue_depth{queue="digests",state="failed"}') === 2, 10_000, {
      message: 'both waiting jobs failed for good',
    });

    text = await registry.metrics();
    expect(sample(text, 'job_queue_depth{queue="digests",state="waiting"}')).toBe(0);
    expect(sample(text, 'job_queue_depth{queue="digests",state="delayed"}')).toBe(1);
    await waitFor(async () => sample(await registry.metrics(), 'job_queue_failures_total{queue="digests",job="send-digest",outcome="exhausted"}') === 2);
    text = await registry.metrics();
    expect(sample(text, 'job_queue_failures_total{queue="digests",job="send-digest",outcome="retry"}')).toBe(2);
  });
});
