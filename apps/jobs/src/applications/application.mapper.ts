import { canonicalIn, canonicalTokens } from '@talent/platform';
import type { ApplicationRecord } from './application.entity';
import { ApplicationModel, ApplicationStatusEnum } from './application.model';

export const toApplicationModel = (r: ApplicationRecord): ApplicationModel =>
  Object.assign(new ApplicationModel(), {
    id: r.id,
    jobId: r.jobId,
    talentId: r.talentId,
    coverLetter: r.coverLetter,
    proposedRate: { amount: canonicalIn(r.proposedRate, r.currency), currency: r.currency },
    stake: r.stake === null ? null : canonicalTokens(r.stake),
    status: r.status as ApplicationStatusEnum,
    createdAt: r.createdAt,
  });
