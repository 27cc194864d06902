import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, Length, Matches } from 'class-validator';
import { PageInfo } from '@talent/platform';
import { KycStatusEnum, UserModel } from '../users/user.model';

export enum KycDocumentTypeEnum {
  PASSPORT = 'PASSPORT',
  ID_CARD = 'ID_CARD',
  DRIVERS_LICENSE = 'DRIVERS_LICENSE',
}
registerEnumType(KycDocumentTypeEnum, { name: 'KycDocumentType' });

export enum ReviewDecisionEnum {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}
registerEnumType(ReviewDecisionEnum, { name: 'ReviewDecision' });

@ObjectType('KycCase')
export class KycCaseModel {
  @Field(() => ID)
  id: string;

  /** Resolved by KycResolver. */
  userId: string;

  @Field(() => KycStatusEnum)
  status: KycStatusEnum;

  @Field()
  country: string;

  @Field(() => KycDocumentTypeEnum)
  documentType: KycDocumentTypeEnum;

  @Field({ description: 'Only the last 4 characters; the full number is encrypted at rest and never returned.' })
  documentNumberLast4: string;

  @Field()
  submittedAt: Date;

  /** Resolved by KycResolver. */
  reviewedById: string | null;

  @Field(() => Date, { nullable: true })
  reviewedAt: Date | null;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@ObjectType('KycCaseEdge')
export class KycCaseEdge {
  @Field()
  cursor: string;

  @Field(() => KycCaseModel)
  node: KycCaseModel;
}

@ObjectType('KycCaseConnection')
export class KycCaseConnection {
  @Field(() => [KycCaseEdge])
  edges: KycCaseEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@InputType()
export class SubmitKycInput {
  @Field()
  @Length(2, 200, { message: 'legalName must be 2 to 200 characters' })
  legalName: string;

  @Field({ description: 'ISO 3166-1 alpha-2' })
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country: string;

  @Field({ description: 'YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be a date as YYYY-MM-DD' })
  dateOfBirth: string;

  @Field(() => KycDocumentTypeEnum)
  @IsEnum(KycDocumentTypeEnum)
  documentType: KycDocumentTypeEnum;

  @Field()
  @Matches(/^[A-Za-z0-9 -]{5,32}$/, { message: 'documentNumber must be 5 to 32 letters, digits, spaces or dashes' })
  documentNumber: string;
}

export { UserModel };
