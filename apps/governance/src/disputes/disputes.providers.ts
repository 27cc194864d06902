import { GovernanceContractsHandler } from '../contracts/contracts.handler';
import { ReferralRelationsHandler } from '../referrals/referral-relations.handler';
import { CastJuryVote } from './cast-jury-vote';
import { DisputesReader } from './disputes.reader';
import { JuryDeadline } from './jury-deadline';
import { JuryScheduler } from './jury.jobs';
import { JuryService } from './jury.service';
import { OpenDispute } from './open-dispute';
import { ResolveDispute } from './resolve-dispute';

/** Disputes and juries: use cases, the deadline job handlers, and the projections they need (contracts, referral relations). */
export const DISPUTE_PROVIDERS = [
  JuryService,
  JuryScheduler,
  ResolveDispute,
  OpenDispute,
  CastJuryVote,
  JuryDeadline,
  DisputesReader,
  GovernanceContractsHandler,
  ReferralRelationsHandler,
];
