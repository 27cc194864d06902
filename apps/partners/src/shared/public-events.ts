import { PublicInvoicePaid, PublicJobClosed, PublicJobPosted, PublicProposalDecided, PublicRewardGranted, type EventDefinition } from '@talent/events';

/**
 * The events partner nodes may subscribe to: the public, PII-free projections of the network's
 * events (libs/events/src/public), as carried on the public.* topics. Nothing else is ever
 * delivered to a partner.
 */
export const DELIVERABLE_EVENTS: readonly EventDefinition[] = [PublicJobPosted, PublicJobClosed, PublicInvoicePaid, PublicRewardGranted, PublicProposalDecided];

export const DELIVERABLE_EVENT_TYPES: readonly string[] = DELIVERABLE_EVENTS.map((d) => d.type);
