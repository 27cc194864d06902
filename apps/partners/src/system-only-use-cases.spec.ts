import { ForbiddenError } from '@talent/platform';
import { errorOfSignedInCall } from '@talent/testing';
import { SendPartnerDelivery } from './deliveries/send-partner-delivery';
import { RecordPublicEvent } from './events/record-public-event';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach one, a signed-in
// caller is refused before anything is read or moved.
describe('use cases only the system runs', () => {
  it.each([SendPartnerDelivery, RecordPublicEvent].map((type) => [type.name, type] as const))('%s refuses a signed-in caller (FORBIDDEN)', async (_, type) => {
    expect(await errorOfSignedInCall(type)).toBeInstanceOf(ForbiddenError);
  });
});
