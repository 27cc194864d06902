import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** identity's User, extended here with `votingPower` and `delegate`; governance returns `{ id }` and identity resolves the rest. */
@ObjectType('User')
@Directive('@key(fields: "id")')
export class UserRef {
  @Field(() => ID)
  id: string;
}

export const userRef = (id: string): UserRef => Object.assign(new UserRef(), { id: id.toLowerCase() });
