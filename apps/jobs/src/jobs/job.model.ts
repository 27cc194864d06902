import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Money, MoneyInput, PageInfo } from '@talent/platform';

export enum JobStatusEnum {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  FILLED = 'FILLED',
}
registerEnumType(JobStatusEnum, { name: 'JobStatus' });

export enum RateUnitEnum {
  HOURLY = 'HOURLY',
  FIXED = 'FIXED',
}
registerEnumType(RateUnitEnum, { name: 'RateUnit' });

@ObjectType('Budget')
export class BudgetModel {
  @Field(() => Money)
  min: Money;

  @Field(() => Money)
  max: Money;

  @Field(() => RateUnitEnum)
  unit: RateUnitEnum;
}

/** A job (the "ask"). Other subgraphs extend it by `id` (matching: matches; referrals: referrals). */
@ObjectType('Job')
@Directive('@key(fields: "id")')
export class JobModel {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field()
  description: string;

  @Field(() => [String])
  skills: string[];

  @Field(() => Int)
  minYearsExperience: number;

  @Field(() => [String], { description: 'ISO 3166-1 alpha-2 codes; empty means anywhere.' })
  countries: string[];

  @Field(() => BudgetModel)
  budget: BudgetModel;

  @Field(() => Int, {
    description: 'Whole percent above budget.max that the client accepts as a proposed rate (0..50); 0: the budget is the limit.',
  })
  rateTolerancePercent: number;

  @Field(() => Int)
  hoursPerWeek: number;

  @Field(() => Int)
  durationWeeks: number;

  @Field(() => JobStatusEnum)
  status: JobStatusEnum;

  /** Resolved by JobsResolver (client, organization, applications). */
  clientId: string;

  organizationId: string | null;

  @Field()
  createdAt: Date;
}

@ObjectType('JobEdge')
export class JobEdge {
  @Field()
  cursor: string;

  @Field(() => JobModel)
  node: JobModel;
}

@ObjectType('JobConnection')
export class JobConnection {
  @Field(() => [JobEdge])
  edges: JobEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}

@InputType('JobFilter')
export class JobFilter {
  @Field(() => JobStatusEnum, { nullable: true })
  status?: JobStatusEnum | null;

  @Field(() => [String], { nullable: true, description: 'Jobs requiring all of these skills.' })
  skills?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Full-text search over title and description (web search syntax).' })
  text?: string | null;

  @Field(() => ID, { nullable: true })
  clientId?: string | null;
}

@InputType('BudgetInput')
export class BudgetInput {
  @Field(() => MoneyInput)
  min: MoneyInput;

  @Field(() => MoneyInput)
  max: MoneyInput;

  @Field(() => RateUnitEnum)
  unit: RateUnitEnum;
}

@InputType('PostJobInput')
export class PostJobInput {
  @Field()
  title: string;

  @Field()
  description: string;

  @Field(() => [String])
  skills: string[];

  @Field(() => Int)
  minYearsExperience: number;

  @Field(() => [String], { description: 'ISO 3166-1 alpha-2 codes; empty means anywhere.' })
  countries: string[];

  @Field(() => BudgetInput)
  budget: BudgetInput;

  @Field(() => Int, {
    nullable: true,
    description: 'Whole percent above budget.max to accept as a proposed rate, 0..50 (default 0). Never below budget.min.',
  })
  rateTolerancePercent?: number | null;

  @Field(() => Int)
  hoursPerWeek: number;

  @Field(() => Int)
  durationWeeks: number;

  @Field(() => ID, { nullable: true, description: 'An organization the caller is a member of (see postJob).' })
  organizationId?: string | null;
}
