import { Counter, Gauge, type Registry } from 'prom-client';
import type { FailureClass } from './failure-class';

export type DeadLetterKind = 'invalid' | 'forged' | 'permanent';

/**
 * What an event consumer reports (prom-client), labelled by topic: alert on a partition
 * paused for long, on a lag that grows, and on any dead letter.
 */
export class ConsumerMetrics {
  private readonly lag: Gauge<'topic' | 'partition'>;
  private readonly paused: Gauge<'topic' | 'partition'>;
  private readonly retries: Counter<'topic' | 'failure'>;
  private readonly deadLetters: Counter<'topic' | 'failure'>;
  private readonly events: Counter<'topic' | 'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.lag = new Gauge({
      name: 'event_consumer_lag',
      help: 'Messages of a partition not yet applied by this consumer (high watermark minus next offset), as of its last batch',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.paused = new Gauge({
      name: 'event_consumer_partition_paused',
      help: '1 while a partition is held on a transient failure (retried with backoff until it passes), 0 otherwise',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.retries = new Counter({
      name: 'event_consumer_retries_total',
      help: 'Failed attempts to apply an event that will be retried, by failure class (transient or unclassified)',
      labelNames: ['topic', 'failure'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'event_consumer_dead_letters_total',
      help: 'Messages sent to <topic>.dlq, by kind (invalid, forged, permanent)',
      labelNames: ['topic', 'failure'],
      registers,
    });
    this.events = new Counter({
      name: 'event_consumer_messages_total',
      help: 'Messages consumed, by outcome (applied, duplicate, ignored, dead-lettered)',
      labelNames: ['topic', 'outcome'],
      registers,
    });
  }

  setLag(topic: string, partition: number, lag: number): void {
    this.lag.set({ topic, partition: String(partition) }, Math.max(0, lag));
  }

  setPaused(topic: string, partition: number, paused: boolean): void {
    this.paused.set({ topic, partition: String(partition) }, paused ? 1 : 0);
  }

  retried(topic: string, failure: FailureClass): void {
    this.retries.inc({ topic, failure });
  }

  deadLettered(topic: string, failure: DeadLetterKind): void {
    this.deadLetters.inc({ topic, failure });
  }

  consumed(topic: string, outcome: string): void {
    this.events.inc({ topic, outcome });
  }
}
