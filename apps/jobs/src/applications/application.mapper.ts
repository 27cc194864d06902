import type { ApplicationRecord } from './application.entity';
import { ApplicationModel, ApplicationStatusEnum } from './application.model';
import { trimDecimal } from '@talent/platform';
import { canonicalIn } from '../money/money';

export const toApplicationModel = (r: ApplicationRecord): ApplicationModel =>
  Object.assign(new ApplicationModel(), {
    id: r.id,
    jobId: r.jobId,
    talentId: r.talentId,
    coverLetter: r.coverLetter,
    proposedRate: { amount: canonicalIn(r.proposedRate, r.currency), currency: r.currency },
    stake: r.stake === null ? null : trimDecimal(r.stake),
    status: r.status as ApplicationStatusEnum,
    createdAt: r.createdAt,
  });
