import { ForbiddenError } from '@talent/platform';
import { errorOfSignedInCall } from '@talent/testing';
import { ConfirmStake } from './applications/confirm-stake';
import { RejectStake } from './applications/reject-stake';
import { RecordOrganization } from './organizations/record-organization';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach one, a signed-in
// caller is refused before anything is read or moved.
describe('use cases only the system runs', () => {
  it.each([RecordOrganization, ConfirmStake, RejectStake].map((type) => [type.name, type] as const))(
    '%s refuses a signed-in caller (FORBIDDEN)',
    async (_, type) => {
      expect(await errorOfSignedInCall(type)).toBeInstanceOf(ForbiddenError);
    },
  );
});
