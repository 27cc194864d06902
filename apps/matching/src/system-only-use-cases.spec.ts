import { ForbiddenError } from '@talent/platform';
import { describeSystemOnlyUseCases } from '@talent/testing';
import { RecordTalentMembership } from './eligibility/record-talent-membership';
import { RecordTalentScreening } from './eligibility/record-talent-screening';
import { RecordJobClosed } from './jobs/record-job-closed';
import { RecordPostedJob } from './jobs/record-posted-job';
import { RecordTalentReputation } from './reputation/record-talent-reputation';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach
// one, a signed-in caller is refused before anything is read or moved.
describeSystemOnlyUseCases([RecordTalentScreening, RecordTalentMembership, RecordJobClosed, RecordPostedJob, RecordTalentReputation], ForbiddenError);
