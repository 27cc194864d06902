import { z } from 'zod';
import { defineJob } from '@talent/platform';

/**
 * One run of the buyback (see ConvertFees), repeated every FEE_CONVERSION_INTERVAL_MS. One
 * attempt: a failed run is simply the next run's work (it resumes every unfinished conversion).
 */
export const ConvertFeesJob = defineJob({
  name: 'fees.convert',
  schema: z.object({}),
  attempts: 1,
});

/** Stable: every start (and every replica) updates the same scheduler instead of adding one. */
export const CONVERT_FEES_SCHEDULER_ID = 'fees.convert:every';
