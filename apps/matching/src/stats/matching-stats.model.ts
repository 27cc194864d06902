import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('MatchingStats')
export class MatchingStatsModel {
  @Field(() => Int, { description: 'Jobs matching has seen posted.' })
  jobsPosted: number;

  @Field(() => Float, {
    description:
      'Share of jobs that got at least one match within 24 hours of posting (0..1; a job younger than 24 hours without a match yet counts as not matched).',
  })
  matchRate24h: number;

  @Field(() => Float, { nullable: true, description: 'Median time from posting to the first stored match; null when no job has a match.' })
  medianSecondsToFirstMatch: number | null;

  @Field(() => Float, { description: 'Matches currently stored per job, on average over every job seen.' })
  averageCandidatesPerJob: number;
}
