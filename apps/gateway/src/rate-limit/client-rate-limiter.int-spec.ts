import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { ClientRateLimiter } from './client-rate-limiter';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('ClientRateLimiter (real Redis)', () => {
  const connections: Redis[] = [];
  const prefix = `test:rate:${randomUUID()}`;
  /** A gateway replica: its own Redis connection and its own view of each client's budget. */
  const replica = async (requests: number) => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    await redis.ping(); // ready: until then the limiter counts in memory, as it does while Redis is away
    return { limiter: new ClientRateLimiter(redis, prefix, { requests, windowSeconds: 60 }), redis };
  };
  const aUser = () => ({ userId: randomUUID(), clientIp: '10.0.0.1' });
  const counted = async (userId: string) => Number((await connections[0].get(`${prefix}:user:${userId}`)) ?? 0);
  /** How many of these attempts, sent together, were let through and how many refused with RATE_LIMITED. */
  const outcome = async (attempts: Array<Promise<void>>) => {
    const settled = await Promise.allSettled(attempts);
    const refused = settled.filter((s) => s.status === 'rejected');
    for (const r of refused) expect((r.reason as GraphQLError).extensions?.code).toBe('RATE_LIMITED');
    return { passed: settled.length - refused.length, refused: refused.length };
  };
  /** How many of a burst (sent in one turn of the event loop, so before any answer from Redis) go on at once. */
  const passedAtOnce = async (limiter: ClientRateLimiter, user: { userId: string; clientIp: string }, burst: number) => {
    let passed = 0;
    const attempts = Array.from({ length: burst }, () => limiter.consume(user).then(() => void passed++));
    await Promise.resolve();
    const atOnce = passed;
    await Promise.allSettled(attempts);
    return atOnce;
  };

  afterAll(async () => {
    const keys = await connections[0].keys(`${prefix}:*`);
    if (keys.length) await connections[0].del(...keys);
    for (const redis of connections) redis.disconnect();
  });

  it('lets exactly the limit through a burst of one client, and counts every request in Redis', async () => {
    const { limiter } = await replica(100);
    const user = aUser();
    await limiter.consume(user); // unknown yet: waits for Redis, which tells the replica the budget
    expect(await outcome(Array.from({ length: 150 }, () => limiter.consume(user)))).toEqual({ passed: 99, refused: 51 });
    await settle();
    expect(await counted(user.userId)).toBeGreaterThanOrEqual(100);
  });

  it('far from the end of a budget, lets requests on without waiting and counts a turn of them in one command; within the headroom, each waits', async () => {
    const far = await replica(1_000);
    const user = aUser();
    await far.limiter.consume(user); // 999 left
    const sent = jest.spyOn(far.redis, 'sendCommand');
    expect(await passedAtOnce(far.limiter, user, 500)).toBe(500); // 999 - 500 is still above the headroom of 100
    await settle();
    expect(sent).toHaveBeenCalledTimes(1);
    expect(await counted(user.userId)).toBe(501);

    const near = await replica(20);
    const other = aUser();
    await near.limiter.consume(other); // 19 left, headroom 16: three go on at once, then each waits
    expect(await passedAtOnce(near.limiter, other, 10)).toBe(3);
    await settle();
    expect(await counted(other.userId)).toBe(11);
  });

  it('refuses a client known to be over its budget without asking Redis, with when to retry', async () => {
    const { limiter } = await replica(3);
    const user = aUser();
    for (let i = 0; i < 3; i++) await limiter.consume(user);
    await expect(limiter.consume(user)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    const before = await counted(user.userId);
    const refusal = await limiter.consume(user).catch((e: GraphQLError) => e);
    expect(refusal).toBeInstanceOf(GraphQLError);
    const { retryAfterSeconds } = (refusal as GraphQLError).extensions as { code: string; retryAfterSeconds: number };
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await counted(user.userId)).toBe(before); // answered from what the replica knew
  });

  it('shares one budget between replicas: what one spent, the other refuses', async () => {
    const [a, b] = await Promise.all([replica(10), replica(10)]);
    const user = aUser();
    for (let i = 0; i < 10; i++) await a.limiter.consume(user);
    await expect(b.limiter.consume(user)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await expect(b.limiter.consume({ clientIp: `10.9.${Math.floor(Math.random() * 250)}.1` })).resolves.toBeUndefined(); // another client
  });

  it('does not trust what it heard more than a second ago: a burst after another replica spent the budget is refused', async () => {
    const [a, b] = await Promise.all([replica(100), replica(100)]);
    const user = aUser();
    await b.limiter.consume(user); // b hears 99 left
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (let i = 0; i < 99; i++) await a.limiter.consume(user);
    while ((await counted(user.userId)) < 100) await settle(); // a's counts sent without waiting
    expect(await outcome(Array.from({ length: 50 }, () => b.limiter.consume(user)))).toEqual({ passed: 0, refused: 50 });
  });
});
