import { UserRegistered } from '@talent/events';
import type { Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { EventConsumer } from './event-consumer';

/** A kafkajs consumer whose connect() answers only when the test says so (a broker away at shutdown). */
function fakeKafka() {
  let connected!: () => void;
  const listeners = new Map<string, (event: { payload: Record<string, unknown> }) => void>();
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', REBALANCING: 'consumer.rebalancing', STOP: 'consumer.stop', CRASH: 'consumer.crash' },
    on: jest.fn((name: string, listener: (event: { payload: Record<string, unknown> }) => void) => void listeners.set(name, listener)),
    connect: jest.fn(() => new Promise<void>((resolve) => (connected = resolve))),
    subscribe: jest.fn(async () => undefined),
    run: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
  };
  const kafka = { consumer: jest.fn(() => consumer) } as unknown as Kafka;
  /** What kafkajs would emit to the consumer's listeners. */
  const emit = (name: string, payload: Record<string, unknown>) => listeners.get(name)?.({ payload });
  return { kafka, consumer, connect: () => connected(), emit };
}

describe('EventConsumer start and stop', () => {
  const consumerOf = (kafka: Kafka, onCrashWithoutRestart?: (error: Error) => void) =>
    new EventConsumer(kafka, {} as Producer, {} as DataSource, pino({ enabled: false }), { groupId: 'g', maxWaitTimeInMs: 100, onCrashWithoutRestart }).on(
      UserRegistered,
      async () => undefined,
    );

  it('is in its group from its join until it leaves it (a rebalance, a crash, a stop), with a grace for rejoining', async () => {
    const fake = fakeKafka();
    const events = consumerOf(fake.kafka);
    const starting = events.start();
    fake.connect();
    await starting;
    expect(events.isInGroup(0)).toBe(false); // started, not joined yet
    expect(events.isInGroup(60_000)).toBe(true); // ... which a start may take a while to do
    fake.emit('consumer.group_join', { memberAssignment: {} });
    expect(events.isInGroup(0)).toBe(true);
    for (const [left, payload] of [
      ['consumer.rebalancing', {}],
      ['consumer.crash', { error: new Error('broker gone'), restart: true }],
    ] as const) {
      fake.emit(left, payload);
      expect(events.isInGroup(0)).toBe(false);
      expect(events.isInGroup(60_000)).toBe(true);
      fake.emit('consumer.group_join', { memberAssignment: {} });
      expect(events.isInGroup(0)).toBe(true);
    }
    await events.stop();
    expect(events.isInGroup(0)).toBe(false);
  });

  it('hands on a crash kafkajs will not restart after, and only that, and only for the consumer it runs', async () => {
    const fake = fakeKafka();
    const crashes: Error[] = [];
    const events = consumerOf(fake.kafka, (error) => crashes.push(error));
    const starting = events.start();
    fake.connect();
    await starting;
    const refused = new Error('group authorization failed');
    fake.emit('consumer.crash', { error: new Error('broker gone'), restart: true });
    fake.emit('consumer.crash', { error: refused, restart: false });
    expect(crashes).toEqual([refused]);
    await events.stop();
    fake.emit('consumer.crash', { error: new Error('late'), restart: false });
    expect(crashes).toEqual([refused]);
  });

  it('a start still connecting when stop() comes goes no further, and disconnects the consumer it made once connected', async () => {
    const fake = fakeKafka();
    const events = consumerOf(fake.kafka);
    const starting = events.start();
    await events.stop();
    fake.connect();
    await starting;
    expect(fake.consumer.subscribe).not.toHaveBeenCalled();
    expect(fake.consumer.run).not.toHaveBeenCalled();
    expect(fake.consumer.disconnect).toHaveBeenCalled();
  });

  it('starts again after a stop whose disconnect threw', async () => {
    const fake = fakeKafka();
    const events = consumerOf(fake.kafka);
    const starting = events.start();
    fake.connect();
    await starting;
    expect(fake.consumer.run).toHaveBeenCalledTimes(1);

    fake.consumer.disconnect.mockRejectedValueOnce(new Error('broker gone'));
    await expect(events.stop()).rejects.toThrow('broker gone');
    const again = events.start();
    fake.connect();
    await again;
    expect(fake.consumer.run).toHaveBeenCalledTimes(2);
  });
});
