import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** The provider refused or failed the charge; the invoice can be approved again. */
export const PaymentFailed = defineEvent({
  type: 'PaymentFailed',
  version: 1,
  topic: Topics.payments,
  source: 'payments',
  schema: z.object({
    invoiceId: z.uuid(),
    contractId: z.uuid(),
    clientId: z.uuid(),
    /** A provider reason code, e.g. card_declined; never card or bank data. */
    reason: z.string(),
    failedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.invoiceId,
});
