import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { RoleEnum, UserModel } from '../users/user.model';

/** Validated by RegisterAccount (its zod command), whoever calls it. */
@InputType()
export class RegisterInput {
  @Field()
  email: string;

  @Field()
  password: string;

  @Field()
  displayName: string;

  @Field(() => [RoleEnum], { description: 'Any of TALENT, CLIENT, CONNECTOR. INSPECTOR and ADMIN are granted, never chosen.' })
  roles: RoleEnum[];

  @Field({ nullable: true })
  referralCode?: string;
}

@ObjectType('AuthPayload')
export class AuthPayload {
  @Field()
  accessToken: string;

  @Field()
  refreshToken: string;

  @Field(() => UserModel)
  user: UserModel;
}
