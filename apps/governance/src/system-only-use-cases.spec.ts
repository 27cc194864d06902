import { ForbiddenError } from '@talent/platform';
import { describeSystemOnlyUseCases } from '@talent/testing';
import { RecordBalanceCheckpoint } from './checkpoints/record-balance-checkpoint';
import { RecordContractCompletion } from './contracts/record-contract-completion';
import { RecordContractStart } from './contracts/record-contract-start';
import { ApplyJuryDeadline } from './disputes/apply-jury-deadline';
import { AdvanceProposal } from './proposals/advance-proposal';
import { RecordReferralRelation } from './referrals/record-referral-relation';
import { RecordTreasuryBalance } from './treasury/record-treasury-balance';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach
// one, a signed-in caller is refused before anything is read or moved.
describeSystemOnlyUseCases(
  [RecordReferralRelation, ApplyJuryDeadline, RecordBalanceCheckpoint, AdvanceProposal, RecordTreasuryBalance, RecordContractCompletion, RecordContractStart],
  ForbiddenError,
);
