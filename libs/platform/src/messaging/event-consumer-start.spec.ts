import { UserRegistered } from '@talent/events';
import type { Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { EventConsumer } from './event-consumer';

/** A kafkajs consumer whose connect() answers only when the test says so (a broker away at shutdown). */
function fakeKafka() {
  let connected!: () => void;
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join' },
    on: jest.fn(),
    connect: jest.fn(() => new Promise<void>((resolve) => (connected = resolve))),
    subscribe: jest.fn(async () => undefined),
    run: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
  };
  const kafka = { consumer: jest.fn(() => consumer) } as unknown as Kafka;
  return { kafka, consumer, connect: () => connected() };
}

describe('EventConsumer start and stop', () => {
  const consumerOf = (kafka: Kafka) =>
    new EventConsumer(kafka, {} as Producer, {} as DataSource, pino({ enabled: false }), { groupId: 'g', maxWaitTimeInMs: 100 }).on(
      UserRegistered,
      async () => undefined,
    );

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
