import { ForbiddenError } from '@talent/platform';
import { describeSystemOnlyUseCases } from '@talent/testing';
import { ConfirmStake } from './applications/confirm-stake';
import { RejectStake } from './applications/reject-stake';
import { RecordOrganization } from './organizations/record-organization';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach
// one, a signed-in caller is refused before anything is read or moved.
describeSystemOnlyUseCases([RecordOrganization, ConfirmStake, RejectStake], ForbiddenError);
