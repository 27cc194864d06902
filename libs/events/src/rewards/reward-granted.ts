import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** BTRST paid from the community pool under a reward policy; idempotent on (policy, reference, beneficiary). */
export const RewardGranted = defineEvent({
  type: 'RewardGranted',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    grantId: z.uuid(),
    beneficiaryId: z.uuid(),
    /** e.g. talent.screened, rating.five_star, connector.referral, connector.client_referral */
    policy: z.string(),
    amount: DecimalStringSchema,
    /** Id of the event or object that earned it. */
    reference: z.string(),
    /**
     * What the earnings accrue to when one source earns several grants, e.g. the referral id of
     * a connector's per-invoice grants (reference = the invoice id). Absent otherwise.
     */
    sourceId: z.string().optional(),
    grantedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.beneficiaryId,
});
