import { z } from 'zod';

/** A client's idempotency key (as Stripe's): 8 to 100 letters, digits, "_" or "-". For a use case's command schema. */
export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'must be 8 to 100 characters: letters, digits, "_" or "-"');
