import { z } from 'zod';
import { defineJob } from '@talent/platform';

/** One delivery of one event to one node; retried with exponential backoff (attempts and delay from config). */
export const DeliverToPartner = defineJob({ name: 'partner.deliver', schema: z.object({ deliveryId: z.uuid() }) });

/** The safety net: queues pending deliveries whose job was lost, dead-letters those out of attempts. */
export const SweepPartnerDeliveries = defineJob({ name: 'partner.deliveries.sweep', schema: z.object({}), attempts: 1 });

/** Drops public events (and their deliveries) older than PARTNER_EVENT_RETENTION_DAYS. */
export const PurgePublicEvents = defineJob({ name: 'partner.events.purge', schema: z.object({}), attempts: 1 });
