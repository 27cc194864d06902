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
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** Every topic ops must provision on a real cluster (see k8s/base/data/kafka-topics.yaml). */
export const ALL_TOPICS: readonly string[] = Object.values(Topics).flatMap((t) => [t, deadLetterTopic(t)]);
