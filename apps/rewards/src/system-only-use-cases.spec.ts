import { ForbiddenError } from '@talent/platform';
import { describeSystemOnlyUseCases } from '@talent/testing';
import { RecordPaidInvoice } from './earnings/record-paid-invoice';
import { RecordQualifiedReferral } from './earnings/record-qualified-referral';
import { RecordRating } from './earnings/record-rating';
import { EarnJuryRewards } from './grants/earn-jury-rewards';
import { EarnScreeningReward } from './grants/earn-screening-reward';
import { AdmitMember } from './members/admit-member';
import { LockApplicationStake } from './staking/lock-application-stake';
import { SettleApplicationStake } from './staking/settle-application-stake';
import { CreditFeeBuyback } from './treasury/credit-fee-buyback';
import { PayAwaitingTreasuryGrants } from './treasury/pay-awaiting-treasury-grants';
import { PayTreasuryGrant } from './treasury/pay-treasury-grant';
import { RecheckWithdrawal } from './withdrawals/recheck-withdrawal';
import { SettleWithdrawal } from './withdrawals/settle-withdrawal';
import { SubmitWithdrawal } from './withdrawals/submit-withdrawal';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach
// one, a signed-in caller is refused before anything is read or moved.
describeSystemOnlyUseCases(
  [
    CreditFeeBuyback,
    PayTreasuryGrant,
    PayAwaitingTreasuryGrants,
    LockApplicationStake,
    SettleApplicationStake,
    EarnJuryRewards,
    EarnScreeningReward,
    RecordRating,
    RecordPaidInvoice,
    RecordQualifiedReferral,
    AdmitMember,
    SubmitWithdrawal,
    RecheckWithdrawal,
    SettleWithdrawal,
  ],
  ForbiddenError,
);
