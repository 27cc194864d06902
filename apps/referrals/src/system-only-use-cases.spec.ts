import { ForbiddenError } from '@talent/platform';
import { describeSystemOnlyUseCases } from '@talent/testing';
import { IssueReferralCode } from './codes/issue-referral-code';
import { QualifyContract } from './qualification/qualify-contract';
import { RecordReward } from './qualification/record-reward';
import { AttributeSignup } from './signup-referrals/attribute-signup';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach
// one, a signed-in caller is refused before anything is read or moved.
describeSystemOnlyUseCases([RecordReward, QualifyContract, IssueReferralCode, AttributeSignup], ForbiddenError);
