import { ForbiddenError } from '@talent/platform';
import { describeSystemOnlyUseCases } from '@talent/testing';
import { SendPartnerDelivery } from './deliveries/send-partner-delivery';
import { RecordPublicEvent } from './events/record-public-event';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach
// one, a signed-in caller is refused before anything is read or moved.
describeSystemOnlyUseCases([SendPartnerDelivery, RecordPublicEvent], ForbiddenError);
