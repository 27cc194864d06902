import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** Jobs' `Contract`, which payments extends by `id` with its invoices. */
@ObjectType('Contract')
@Directive('@key(fields: "id")')
export class ContractRef {
  @Field(() => ID)
  id: string;
}

export const contractRef = (id: string): ContractRef => Object.assign(new ContractRef(), { id });
