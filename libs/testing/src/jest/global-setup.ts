import { startKafkaBroker, type KafkaBroker } from '../kafka-broker';

declare global {
  var __talentKafkaBroker: KafkaBroker | undefined;
}

/** One Kafka-protocol broker for the whole test run (KAFKA_BROKERS, or a kcat mock cluster), shared by every project. */
export default async function globalSetup(): Promise<void> {
  if (globalThis.__talentKafkaBroker) return;
  const broker = await startKafkaBroker();
  globalThis.__talentKafkaBroker = broker;
  process.env.KAFKA_BROKERS = broker.brokers.join(',');
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
}
