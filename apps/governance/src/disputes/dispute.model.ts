import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum DisputeStatusEnum {
  OPEN = 'OPEN',
  VOTING = 'VOTING',
  RESOLVED = 'RESOLVED',
}
registerEnumType(DisputeStatusEnum, {
  name: 'DisputeStatus',
  valuesMap: {
    OPEN: { description: 'Opened, jury not drawn yet.' },
    VOTING: { description: 'The jury is drawn and voting.' },
    RESOLVED: { description: 'The jury decided (see outcome).' },
  },
});

export enum DisputeDecisionEnum {
  FOR_TALENT = 'FOR_TALENT',
  FOR_CLIENT = 'FOR_CLIENT',
}
registerEnumType(DisputeDecisionEnum, {
  name: 'DisputeDecision',
  valuesMap: {
    FOR_TALENT: { description: 'The disputed invoices are released: the client may approve and pay them.' },
    FOR_CLIENT: { description: 'The disputed invoices are voided: never charged.' },
  },
});

@ObjectType('Dispute', { description: "A contract's dispute, decided by a jury of token holders. Visible to its parties, its jurors and admins." })
export class DisputeModel {
  @Field(() => ID)
  id: string;

  /** Resolved by DisputesResolver as a Contract reference. */
  contractId: string;

  /** Resolved as a User reference. */
  openedById: string;

  @Field()
  reason: string;

  @Field(() => DisputeStatusEnum)
  status: DisputeStatusEnum;

  /** The jurors seated now, by seat; resolved as User references. */
  jurorIds: string[];

  @Field(() => DisputeDecisionEnum, { nullable: true })
  outcome: DisputeDecisionEnum | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt: Date | null;
}
