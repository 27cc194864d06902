import type { JobDefinition } from '@talent/platform';
import { DeliverToPartner, PurgePublicEvents, SweepPartnerDeliveries } from './deliveries/delivery.jobs';

/** The partners job catalog: every job has exactly one `@ProcessesJob` handler. */
export const PARTNERS_JOBS: readonly JobDefinition[] = [DeliverToPartner, SweepPartnerDeliveries, PurgePublicEvents];
