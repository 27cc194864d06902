import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** The current top candidates for a job (replaces earlier proposals for that job). */
export const MatchesProposed = defineEvent({
  type: 'MatchesProposed',
  version: 1,
  topic: Topics.matching,
  source: 'matching',
  schema: z.object({
    jobId: z.uuid(),
    matches: z.array(z.object({ talentId: z.uuid(), score: z.number().min(0).max(1), rank: z.number().int().positive() })),
    /** What triggered the run: the job being posted, or a talent profile/eligibility change. */
    trigger: z.enum(['JOB_POSTED', 'TALENT_CHANGED']),
    proposedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.jobId,
});
