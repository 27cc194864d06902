import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** Jobs' `Contract`, referenced by a dispute: governance returns `{ id }` and jobs resolves the rest. */
@ObjectType('Contract')
@Directive('@key(fields: "id", resolvable: false)')
export class ContractRef {
  @Field(() => ID)
  id: string;
}

export const contractRef = (id: string): ContractRef => Object.assign(new ContractRef(), { id });
