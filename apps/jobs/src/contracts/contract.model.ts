import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Money } from '@talent/platform';
import { RateUnitEnum } from '../jobs/job.model';

export enum ContractStatusEnum {
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ContractStatusEnum, { name: 'ContractStatus' });

/** A hire. Other subgraphs extend it by `id` (payments: invoices). */
@ObjectType('Contract')
@Directive('@key(fields: "id")')
export class ContractModel {
  @Field(() => ID)
  id: string;

  /** Resolved by ContractsResolver (job, talent, client, ratings). */
  jobId: string;

  talentId: string;

  clientId: string;

  @Field(() => Money)
  rate: Money;

  @Field(() => RateUnitEnum)
  unit: RateUnitEnum;

  @Field(() => Money, { description: 'rate x hoursPerWeek x durationWeeks for hourly work, the rate itself for fixed.' })
  estimatedValue: Money;

  @Field(() => ContractStatusEnum)
  status: ContractStatusEnum;

  @Field()
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  endedAt: Date | null;
}
