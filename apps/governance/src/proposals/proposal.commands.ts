import { z } from 'zod';
import { charLength } from '@talent/platform';

const MAX_REASON = 2_000;

/** An optional reason (a vote's, a cancellation's): trimmed, at most 2000 characters, null when blank. */
export const OptionalReasonSchema = z
  .string()
  .trim()
  .refine((reason) => charLength(reason) <= MAX_REASON, `must be at most ${MAX_REASON} characters`)
  .nullish()
  .transform((reason) => reason || null);
