import { Directive, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

/**
 * A person on the network, owned by identity. Jobs refers to users by id only and adds
 * their reputation; every other field comes from identity through the gateway.
 */
@ObjectType('User')
@Directive('@key(fields: "id")')
export class UserRef {
  @Field(() => ID)
  id: string;
}

/** A `User` reference the gateway completes from identity. */
export const userRef = (id: string): UserRef => Object.assign(new UserRef(), { id });

@ObjectType('Reputation')
export class ReputationModel {
  @Field(() => Float, { nullable: true, description: 'Average stars received, rounded to 2 decimals; null before the first rating.' })
  averageRating: number | null;

  @Field(() => Int)
  ratingsCount: number;

  @Field(() => Int)
  fiveStarCount: number;

  @Field(() => Int, { description: 'Completed contracts where the user was the talent or the client.' })
  completedContracts: number;
}
