import { z } from 'zod';
import { defineJob } from '@talent/platform';

/**
 * A proposal's timed transition (start, end, expire), delayed until it is due. Keyed by proposal,
 * transition and due time: a late-quorum extension schedules a new end job, and the old one finds
 * nothing to do. The handler re-checks the stored state and the time under a row lock.
 */
export const ProposalTransitionJob = defineJob({
  name: 'proposal.transition',
  schema: z.object({ proposalId: z.uuid(), transition: z.enum(['start', 'end', 'expire']), at: z.number().int() }),
  attempts: 8,
});

/** The safety net: moves every proposal whose transition is overdue (a lost or failed job). */
export const SweepProposals = defineJob({ name: 'proposals.sweep', schema: z.object({}), attempts: 1 });
