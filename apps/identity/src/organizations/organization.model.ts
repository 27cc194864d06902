import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Organization')
@Directive('@key(fields: "id")')
export class OrganizationModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  createdAt: Date;
}
