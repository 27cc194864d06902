import { z } from 'zod';
import { defineJob } from '@talent/platform';

/**
 * Sends one requested withdrawal through the chain adapter. After the last failed attempt the
 * funds go back only if the chain says the transfer did not happen; otherwise a re-check follows.
 */
export const ProcessWithdrawal = defineJob({
  name: 'withdrawal.process',
  schema: z.object({ withdrawalId: z.uuid() }),
  attempts: 5,
});

/**
 * Asks the chain again, later, about a withdrawal whose transfer may have gone out (sent, but the
 * answer was lost, or still pending): settled once the chain knows; scheduled again otherwise.
 * `check` counts the re-checks (it spaces them out and keeps each job's id unique).
 */
export const CheckWithdrawal = defineJob({
  name: 'withdrawal.check',
  schema: z.object({ withdrawalId: z.uuid(), check: z.number().int().min(1) }),
  attempts: 5,
});
