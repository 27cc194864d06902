import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** An organization, owned by identity: jobs only holds its id (identity resolves the rest). */
@ObjectType('Organization')
@Directive('@key(fields: "id", resolvable: false)')
export class OrganizationRef {
  @Field(() => ID)
  id: string;
}

export const organizationRef = (id: string): OrganizationRef => Object.assign(new OrganizationRef(), { id });
