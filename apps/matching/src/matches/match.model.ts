import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Match')
export class MatchModel {
  @Field(() => ID)
  id: string;

  /** Resolved as a Job reference by MatchesResolver. */
  jobId: string;

  /** Resolved as a User reference by MatchesResolver. */
  talentId: string;

  @Field(() => Float, { description: '0..1, higher is better' })
  score: number;

  @Field(() => Int)
  rank: number;

  @Field(() => [String], { description: "Human-readable reasons, e.g. 'skills 4/5', 'rate within budget'." })
  reasons: string[];

  @Field()
  createdAt: Date;
}
