import { z } from 'zod';
import { defineJob } from '@talent/platform';

/** Sends one requested withdrawal through the chain adapter; after the last failed attempt the funds go back. */
export const ProcessWithdrawal = defineJob({
  name: 'withdrawal.process',
  schema: z.object({ withdrawalId: z.uuid() }),
  attempts: 5,
});
