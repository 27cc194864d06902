import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** jobs' Job, extended here with `referrals`; referrals returns `{ id }` and jobs resolves the rest. */
@ObjectType('Job')
@Directive('@key(fields: "id")')
export class JobRef {
  @Field(() => ID)
  id: string;
}

export const jobRef = (id: string): JobRef => Object.assign(new JobRef(), { id });
