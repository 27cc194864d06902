import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema, MoneySchema, RateUnitSchema } from '../common';
import { Topics } from '../topics';

/** A hire. Referrals qualifies referrals from it; rewards pays connectors on the estimated value. */
export const ContractStarted = defineEvent({
  type: 'ContractStarted',
  version: 1,
  topic: Topics.jobs,
  source: 'jobs',
  schema: z.object({
    contractId: z.uuid(),
    jobId: z.uuid(),
    applicationId: z.uuid(),
    clientId: z.uuid(),
    talentId: z.uuid(),
    rate: MoneySchema,
    unit: RateUnitSchema,
    /** rate x hoursPerWeek x durationWeeks for hourly work; the rate itself for fixed. */
    estimatedValue: MoneySchema,
    /** True when this is the client's first hire on the network. */
    clientFirstHire: z.boolean(),
    startedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.contractId,
});
