import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar } from '@talent/platform';

export enum WithdrawalStatusEnum {
  REQUESTED = 'REQUESTED',
  SENT = 'SENT',
  FAILED = 'FAILED',
}
registerEnumType(WithdrawalStatusEnum, { name: 'WithdrawalStatus' });

@ObjectType('Withdrawal')
export class WithdrawalModel {
  @Field(() => ID)
  id: string;

  @Field(() => DecimalScalar)
  amount: string;

  @Field()
  toAddress: string;

  @Field(() => WithdrawalStatusEnum)
  status: WithdrawalStatusEnum;

  @Field(() => String, { nullable: true })
  txHash: string | null;

  @Field()
  createdAt: Date;
}
