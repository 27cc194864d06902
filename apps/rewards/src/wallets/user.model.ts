import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** A person on the network, owned by identity; rewards adds their wallet. */
@ObjectType('User')
@Directive('@key(fields: "id")')
export class UserRef {
  @Field(() => ID)
  id: string;
}

export const userRef = (id: string): UserRef => Object.assign(new UserRef(), { id });
