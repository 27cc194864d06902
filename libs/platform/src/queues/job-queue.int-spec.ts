import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { z } from 'zod';
import { testRedisUrl, uniquePrefix, waitFor } from '@talent/testing';
import { defineJob } from './job-catalog';
import { JobQueue } from './job-queue';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

const SendDigest = defineJob({
  name: 'send-digest',
  schema: z.object({ userId: z.uuid(), channel: z.enum(['EMAIL', 'PUSH']).default('EMAIL') }),
  attempts: 1,
});
const ExpireOffers = defineJob({ name: 'expire-offers', schema: z.object({ olderThanDays: z.number().int().positive() }), attempts: 1 });
const catalog = [SendDigest, ExpireOffers];

const userId = '2b0b6a4e-9c1d-4f3e-8a7b-5d6c7e8f9a0b';

function connectionOf(url: string): ConnectionOptions {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379), password: u.password || undefined, db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0 };
}

describe('JobQueue (BullMQ on the real Redis)', () => {
  const prefix = uniquePrefix('jobq');
  const name = 'jobs-test';
  const connection = connectionOf(testRedisUrl());
  const queues: JobQueue[] = [];
  let inspector: Queue;
  let redis: Redis;

  const newQueue = () => {
    const queue = new JobQueue({ name, prefix, connection, catalog, concurrency: 2 }, logger);
    queues.push(queue);
    return queue;
  };

  beforeAll(async () => {
    inspector = new Queue(name, { prefix, connection });
    redis = new Redis(testRedisUrl());
    await inspector.waitUntilReady();
  });

  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
  });

  afterAll(async () => {
    await inspector.obliterate({ force: true }).catch(() => undefined);
    await inspector.close();
    // Nothing of this run stays in the shared Redis.
    const leftovers = await redis.keys(`${prefix}:*`);
    if (leftovers.length) await redis.del(...leftovers);
    await redis.quit();
  });

  it('refuses to start while a job of the catalog has no handler', async () => {
    const queue = newQueue();
    queue.handle(SendDigest, async () => undefined);
    await expect(queue.start()).rejects.toThrow('job "expire-offers" has no handler');
    expect(() => queue.handle(SendDigest, async () => undefined)).toThrow('job "send-digest" has two handlers');
  });

  it('runs a delayed job once, with its validated data', async () => {
    const runs: Array<{ data: unknown; id?: string }> = [];
    const queue = newQueue();
    queue.handle(SendDigest, async (data, meta) => {
      runs.push({ data, id: meta.id });
    });
    queue.handle(ExpireOffers, async () => undefined);
    await queue.start();

    // `channel` is left out on purpose: the schema's default must fill it in.
    const data: z.input<typeof SendDigest.schema> = { userId };
    const id = await queue.add(SendDigest, data as z.output<typeof SendDigest.schema>, { delay: 300 });
    expect(id).toBeDefined();

    await waitFor(async () => (await inspector.getJobState(id!)) === 'completed', 10_000, { message: 'delayed job completed' });
    const job = (await inspector.getJob(id!))!;
    expect(job.opts.delay).toBe(300);
    // Not run before its time.
    expect(job.processedOn! - job.timestamp).toBeGreaterThanOrEqual(300);
    expect(runs).toEqual([{ data: { userId, channel: 'EMAIL' }, id }]);
    expect(await inspector.getJobCounts('completed', 'failed', 'delayed', 'wait', 'active')).toEqual({
      completed: 1,
      failed: 0,
      delayed: 0,
      wait: 0,
      active: 0,
    });
  });

  it('refuses data that does not match the job schema when it is added', async () => {
    const queue = newQueue();
    const before = await inspector.getJobCountByTypes('wait', 'delayed', 'prioritized');
    await expect(queue.add(SendDigest, { userId: 'not-a-uuid', channel: 'EMAIL' })).rejects.toThrow(z.ZodError);
    await expect(queue.add(ExpireOffers, { olderThanDays: -3 })).rejects.toThrow(/olderThanDays/);
    expect(await inspector.getJobCountByTypes('wait', 'delayed', 'prioritized')).toBe(before);
  });

  it('refuses a job that is not in its catalog', async () => {
    const queue = newQueue();
    const Stranger = defineJob({ name: 'stranger', schema: z.object({}) });
    await expect(queue.add(Stranger, {})).rejects.toThrow('job "stranger" is not in this service\'s catalog');
  });

  it('runs a repeatable job again and again until the worker is closed', async () => {
    const runs: unknown[] = [];
    const queue = newQueue();
    queue.handle(SendDigest, async () => undefined);
    queue.handle(ExpireOffers, async (data) => {
      runs.push(data);
    });
    await queue.start();

    await queue.repeat('expire-offers-every-200ms', ExpireOffers, { olderThanDays: 7 }, { every: 200 });
    expect((await inspector.getJobSchedulers()).map((s) => s.key)).toEqual(['expire-offers-every-200ms']);

    await waitFor(() => runs.length >= 3, 10_000, { message: 'three runs of the repeatable job' });
    expect(runs.every((d) => JSON.stringify(d) === JSON.stringify({ olderThanDays: 7 }))).toBe(true);

    await queue.close();
    queues.splice(queues.indexOf(queue), 1);
    // The scheduler lives in Redis (so other replicas keep running it); removing it is an explicit act.
    expect(await inspector.removeJobScheduler('expire-offers-every-200ms')).toBe(true);
    expect(await inspector.getJobSchedulers()).toEqual([]);
  });
});
