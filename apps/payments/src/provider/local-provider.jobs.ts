import { z } from 'zod';
import { defineJob } from '@talent/platform';

/**
 * The local provider settles a pending charge a moment after it was made and, like a real
 * provider, sends the outcome to payments' webhook endpoint, retrying until it is accepted.
 */
export const SettleLocalCharge = defineJob({
  name: 'local-provider.settle',
  schema: z.object({ chargeId: z.string().regex(/^ch_[0-9a-f]{32}$/) }),
  attempts: 10,
});
