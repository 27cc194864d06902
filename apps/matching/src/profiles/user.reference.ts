import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** identity's User, extended here with `talentProfile`; matching returns `{ id }` and identity resolves the rest. */
@ObjectType('User')
@Directive('@key(fields: "id")')
export class UserReference {
  @Field(() => ID)
  id: string;
}

export const userReference = (id: string): UserReference => Object.assign(new UserReference(), { id });
