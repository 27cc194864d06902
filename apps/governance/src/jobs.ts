import type { JobDefinition } from '@talent/platform';
import { JuryDeadlineJob, SweepJuriesJob } from './disputes/jury.jobs';
import { ProposalTransitionJob, SweepProposals } from './proposals/proposal.jobs';

/** The governance job catalog: every job has exactly one `@ProcessesJob` handler. */
export const GOVERNANCE_JOBS: readonly JobDefinition[] = [ProposalTransitionJob, SweepProposals, JuryDeadlineJob, SweepJuriesJob];
