import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Money, MoneyInput } from '@talent/platform';

@ObjectType('TalentProfile')
export class TalentProfileModel {
  /** Resolved as a User reference by ProfilesResolver. */
  userId: string;

  @Field()
  headline: string;

  @Field(() => [String])
  skills: string[];

  @Field(() => Int)
  yearsExperience: number;

  @Field(() => Money)
  hourlyRate: Money;

  @Field({ description: 'ISO 3166-1 alpha-2' })
  country: string;

  @Field(() => Int)
  hoursPerWeek: number;

  @Field()
  openToWork: boolean;

  @Field()
  updatedAt: Date;
}

/** Validated and normalised by UpsertTalentProfile (TalentProfileCommand: BAD_USER_INPUT with `extensions.field`). */
@InputType()
export class TalentProfileInput {
  @Field()
  headline: string;

  @Field(() => [String], { description: '1 to 30 skills of 1 to 40 characters; stored trimmed, lower-case and unique.' })
  skills: string[];

  @Field(() => Int)
  yearsExperience: number;

  @Field(() => MoneyInput, { description: 'A positive amount with at most 2 decimals, in an ISO 4217 currency.' })
  hourlyRate: MoneyInput;

  @Field({ description: 'ISO 3166-1 alpha-2' })
  country: string;

  @Field(() => Int)
  hoursPerWeek: number;

  @Field()
  openToWork: boolean;
}
