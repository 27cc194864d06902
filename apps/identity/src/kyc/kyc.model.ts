import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from '@talent/platform';
import { KycStatusEnum, RoleEnum, UserModel } from '../users/user.model';

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

export enum KycDetailFieldEnum {
  LEGAL_NAME = 'LEGAL_NAME',
  DATE_OF_BIRTH = 'DATE_OF_BIRTH',
  DOCUMENT_NUMBER = 'DOCUMENT_NUMBER',
}
registerEnumType(KycDetailFieldEnum, { name: 'KycDetailField', description: 'A decrypted field of a KYC case, as the access log names it.' });

@ObjectType('KycCaseDetails', {
  description: "A KYC case's personal data, decrypted for its reviewer. Only the fields asked for are decrypted, and each read is in the owner's access log.",
})
export class KycCaseDetailsModel {
  @Field()
  legalName: string;

  @Field({ description: 'YYYY-MM-DD' })
  dateOfBirth: string;

  @Field({ description: 'The full document number, as stored (no spaces or dashes, upper case).' })
  documentNumber: string;
}

@ObjectType('KycDetailsAccess', { description: "One read of a KYC case's decrypted details: who read which fields of which case, and when." })
export class KycDetailsAccessModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  caseId: string;

  /** Resolved by KycAccessLogResolver. */
  readerId: string;

  @Field(() => [RoleEnum], { description: "The reader's roles when they read." })
  readerRoles: RoleEnum[];

  @Field(() => [KycDetailFieldEnum])
  fields: KycDetailFieldEnum[];

  @Field()
  readAt: Date;
}

@ObjectType('KycDetailsAccessEdge')
export class KycDetailsAccessEdge {
  @Field()
  cursor: string;

  @Field(() => KycDetailsAccessModel)
  node: KycDetailsAccessModel;
}

@ObjectType('KycDetailsAccessConnection')
export class KycDetailsAccessConnection {
  @Field(() => [KycDetailsAccessEdge])
  edges: KycDetailsAccessEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

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

/** Validated by SubmitKycCase (its zod command), whoever calls it. */
@InputType()
export class SubmitKycInput {
  @Field()
  legalName: string;

  @Field({ description: 'ISO 3166-1 alpha-2' })
  country: string;

  @Field({ description: 'YYYY-MM-DD' })
  dateOfBirth: string;

  @Field(() => KycDocumentTypeEnum)
  documentType: KycDocumentTypeEnum;

  @Field()
  documentNumber: string;
}

export { UserModel };
