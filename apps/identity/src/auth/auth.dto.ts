import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsEmail, IsEnum, IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { RoleEnum, UserModel } from '../users/user.model';

@InputType()
export class RegisterInput {
  @Field()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @Field()
  @Length(10, 128, { message: 'password must be 10 to 128 characters' })
  password: string;

  @Field()
  @Length(1, 80, { message: 'displayName must be 1 to 80 characters' })
  @Matches(/\S/, { message: 'displayName must not be blank' })
  displayName: string;

  @Field(() => [RoleEnum], { description: 'Any of TALENT, CLIENT, CONNECTOR. INSPECTOR and ADMIN are granted, never chosen.' })
  @ArrayMinSize(1, { message: 'choose at least one role' })
  @ArrayMaxSize(3)
  @IsEnum(RoleEnum, { each: true })
  roles: RoleEnum[];

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{4,32}$/, { message: 'referralCode must be 4 to 32 letters, digits or dashes' })
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
