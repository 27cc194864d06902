import { TreasuryBalanceRecord } from '../treasury/treasury-balance.entity';
import { TreasuryBalanceService } from '../treasury/treasury-balance.service';
import { RecordTreasuryBalance } from '../treasury/record-treasury-balance';
import { TreasuryHandler } from '../treasury/treasury.handler';
import { CastVote } from '../votes/cast-vote';
import { TotalVotingPower } from '../votes/total-voting-power';
import { VoteRecord } from '../votes/vote.entity';
import { AdvanceProposal } from './advance-proposal';
import { CancelProposal } from './cancel-proposal';
import { CreateProposal } from './create-proposal';
import { ExecuteProposal } from './execute-proposal';
import { ProposalLifecycle } from './proposal-lifecycle';
import { ProposalScheduler } from './proposal-scheduler';
import { ProposalTransitions } from './proposal-transitions';
import { ProposalRecord } from './proposal.entity';
import { ProposalsReader } from './proposals.reader';

/** The tables of proposals, votes and the treasury projection. */
export const PROPOSAL_ENTITIES = [ProposalRecord, VoteRecord, TreasuryBalanceRecord];

/** Use cases, the lifecycle (jobs) and the treasury projection of proposals and votes. */
export const PROPOSAL_PROVIDERS = [
  TotalVotingPower,
  TreasuryBalanceService,
  RecordTreasuryBalance,
  TreasuryHandler,
  ProposalScheduler,
  ProposalTransitions,
  AdvanceProposal,
  ProposalLifecycle,
  ProposalsReader,
  CreateProposal,
  CastVote,
  ExecuteProposal,
  CancelProposal,
];
