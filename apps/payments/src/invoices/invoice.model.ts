import { Field, Float, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar, Money, MoneyInput } from '@talent/platform';

export enum InvoiceStatusEnum {
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  PAID = 'PAID',
  FAILED = 'FAILED',
  DISPUTED = 'DISPUTED',
  VOIDED = 'VOIDED',
}
registerEnumType(InvoiceStatusEnum, {
  name: 'InvoiceStatus',
  valuesMap: {
    APPROVED: { description: 'Approved by the client; the charge is in progress.' },
    FAILED: { description: 'The charge was declined; the client may approve again (with a new idempotency key).' },
    DISPUTED: { description: 'Held by an open dispute on its contract: it cannot be approved until the jury decides.' },
    VOIDED: { description: 'Voided by a dispute resolved for the client: never charged.' },
  },
});

@ObjectType('Invoice')
export class InvoiceModel {
  @Field(() => ID)
  id: string;

  /** Resolved by InvoicesResolver as a Contract reference. */
  contractId: string;

  talentId: string;

  clientId: string;

  @Field()
  description: string;

  @Field(() => Float, { nullable: true })
  hours: number | null;

  @Field(() => Money, { description: 'What the talent receives, in full.' })
  subtotal: Money;

  @Field(() => Money, { description: 'Charged to the client on top of the subtotal.' })
  platformFee: Money;

  @Field(() => DecimalScalar)
  feeRate: string;

  @Field(() => Money)
  total: Money;

  @Field(() => InvoiceStatusEnum)
  status: InvoiceStatusEnum;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  paidAt: Date | null;
}

@InputType('SubmitInvoiceInput')
export class SubmitInvoiceInput {
  @Field(() => ID)
  contractId: string;

  @Field()
  description: string;

  @Field(() => Float, { nullable: true, description: 'For hourly contracts; amount = hours x rate.' })
  hours?: number | null;

  @Field(() => MoneyInput, { nullable: true, description: 'For fixed contracts (milestones).' })
  amount?: MoneyInput | null;
}
