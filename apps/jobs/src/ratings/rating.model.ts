import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Rating')
export class RatingModel {
  @Field(() => ID)
  id: string;

  /** Resolved by RatingsResolver (contract, rater, ratee). */
  contractId: string;

  raterId: string;

  rateeId: string;

  @Field(() => Int)
  stars: number;

  @Field(() => String, { nullable: true })
  comment: string | null;

  @Field()
  createdAt: Date;
}
