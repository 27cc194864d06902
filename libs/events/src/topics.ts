/**
 * Topic names. One internal topic per producing service, versioned; a consumer that
 * cannot parse a message sends it to `<topic>.dlq` with the reason.
 * Partner-facing topics carry a stable, PII-free projection.
 */
export const Topics = {
  identity: 'identity.events.v1',
  jobs: 'jobs.events.v1',
  matching: 'matching.events.v1',
  referrals: 'referrals.events.v1',
  rewards: 'rewards.events.v1',
  payments: 'payments.events.v1',
  governance: 'governance.events.v1',
  publicJobs: 'public.jobs.v1',
  publicRewards: 'public.rewards.v1',
  publicGovernance: 'public.governance.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/**
 * Headers of a dead letter (its value and key are the original message's): why it was refused
 * and where it came from, read by `npm run dlq` to list and replay it. A replayed message
 * carries `dlq-replay-for`: only that consumer group applies it (the others have their own
 * dead letters, or applied it already).
 */
export const DeadLetterHeaders = {
  reason: 'dlq-reason',
  failure: 'dlq-failure',
  errorClass: 'dlq-error-class',
  eventId: 'dlq-event-id',
  eventType: 'dlq-event-type',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  consumerGroup: 'dlq-consumer-group',
  failedAt: 'dlq-failed-at',
  replayFor: 'dlq-replay-for',
  replayedAt: 'dlq-replayed-at',
} as const;

/** Every topic ops must provision on a real cluster (see k8s/base/data/kafka-topics.yaml). */
export const ALL_TOPICS: readonly string[] = Object.values(Topics).flatMap((t) => [t, deadLetterTopic(t)]);
