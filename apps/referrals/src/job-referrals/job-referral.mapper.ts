import type { ReferralInvalidReasonEnum, ReferralStatusEnum } from '../shared/enums';
import { jobRef } from '../shared/job.reference';
import { userRef } from '../shared/user.reference';
import type { JobReferralRecord } from './job-referral.entity';
import { JobReferralModel } from './job-referral.model';

export const toJobReferralModel = (r: JobReferralRecord): JobReferralModel =>
  Object.assign(new JobReferralModel(), {
    id: r.id,
    job: jobRef(r.jobId),
    connector: userRef(r.connectorId),
    talent: userRef(r.talentId),
    note: r.note,
    status: r.status as ReferralStatusEnum,
    invalidReason: r.invalidReason as ReferralInvalidReasonEnum | null,
    rewardAmount: r.rewardAmount,
    createdAt: r.createdAt,
  });
