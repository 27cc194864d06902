import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from './wait-for';

/**
 * Waits until a consumer group has committed every message of `topics` (full topic names, with
 * the stack's prefix), so that a test asserting "nothing changed" asserts it after the consumer
 * saw everything, not merely before. A topic nothing was ever written to is skipped.
 */
export async function waitForConsumerCaughtUp(groupId: string, topics: string[], timeoutMs = 60_000): Promise<void> {
  const kafka = new Kafka({ clientId: 'consumer-lag', brokers: (process.env.KAFKA_BROKERS ?? '').split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        for (const topic of topics) {
          const ends = await admin.fetchTopicOffsets(topic).catch(() => []);
          if (ends.length === 0) continue;
          const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
          for (const end of ends) {
            const done = committed.partitions.find((p) => p.partition === end.partition);
            if (Number(end.high) > 0 && Number(done?.offset ?? -1) < Number(end.high)) return false;
          }
        }
        return true;
      },
      timeoutMs,
      { intervalMs: 250, message: `consumer group ${groupId} consumed every message of ${topics.join(', ')}` },
    );
  } finally {
    await admin.disconnect();
  }
}
