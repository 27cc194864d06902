import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/**
 * An executed PARAMETER_CHANGE proposal set a network parameter. The services that own the
 * parameter apply it to work started afterwards (payments: `platform.feeRate` for invoices
 * submitted from `effectiveAt` on). Values are strings, validated by the service that applies
 * them; a later `effectiveAt` wins, so a redelivered or reordered older change never undoes a newer one.
 */
export const ParameterChanged = defineEvent({
  type: 'ParameterChanged',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: z.object({
    /** The proposal that changed it (the audit trail). */
    proposalId: z.uuid(),
    key: z.string().regex(/^[a-z][A-Za-z0-9.]{0,99}$/),
    value: z.string().min(1).max(200),
    previousValue: z.string().nullable(),
    effectiveAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.key,
});
