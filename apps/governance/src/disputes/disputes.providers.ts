import { GovernanceContractsHandler } from '../contracts/contracts.handler';
import { RecordContractCompletion } from '../contracts/record-contract-completion';
import { RecordContractStart } from '../contracts/record-contract-start';
import { RecordReferralRelation } from '../referrals/record-referral-relation';
import { ReferralRelationsHandler } from '../referrals/referral-relations.handler';
import { ApplyJuryDeadline } from './apply-jury-deadline';
import { CastJuryVote } from './cast-jury-vote';
import { DisputeVerdict } from './dispute-verdict';
import { DisputesReader } from './disputes.reader';
import { JuryScheduler } from './jury.jobs';
import { JuryService } from './jury.service';
import { OpenDispute } from './open-dispute';

/** Disputes and juries: use cases, the deadline job handlers, and the projections they need (contracts, referral relations). */
export const DISPUTE_PROVIDERS = [
  JuryService,
  JuryScheduler,
  DisputeVerdict,
  OpenDispute,
  CastJuryVote,
  ApplyJuryDeadline,
  DisputesReader,
  RecordContractStart,
  RecordContractCompletion,
  GovernanceContractsHandler,
  RecordReferralRelation,
  ReferralRelationsHandler,
];
