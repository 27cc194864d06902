import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** jobs' Job, extended here with `matches`; matching returns `{ id }` and jobs resolves the rest. */
@ObjectType('Job')
@Directive('@key(fields: "id")')
export class JobReference {
  @Field(() => ID)
  id: string;
}

export const jobReference = (id: string): JobReference => Object.assign(new JobReference(), { id });
