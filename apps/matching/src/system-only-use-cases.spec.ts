import { ForbiddenError } from '@talent/platform';
import { errorOfSignedInCall } from '@talent/testing';
import { RecordTalentMembership } from './eligibility/record-talent-membership';
import { RecordTalentScreening } from './eligibility/record-talent-screening';
import { RecordJobClosed } from './jobs/record-job-closed';
import { RecordPostedJob } from './jobs/record-posted-job';
import { RecordTalentReputation } from './reputation/record-talent-reputation';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach one, a signed-in
// caller is refused before anything is read or moved.
describe('use cases only the system runs', () => {
  it.each([RecordTalentScreening, RecordTalentMembership, RecordJobClosed, RecordPostedJob, RecordTalentReputation].map((type) => [type.name, type] as const))(
    '%s refuses a signed-in caller (FORBIDDEN)',
    async (_, type) => {
      expect(await errorOfSignedInCall(type)).toBeInstanceOf(ForbiddenError);
    },
  );
});
