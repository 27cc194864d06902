import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum RoleEnum {
  TALENT = 'TALENT',
  CLIENT = 'CLIENT',
  CONNECTOR = 'CONNECTOR',
  INSPECTOR = 'INSPECTOR',
  ADMIN = 'ADMIN',
}
registerEnumType(RoleEnum, { name: 'Role' });

export enum KycStatusEnum {
  NOT_STARTED = 'NOT_STARTED',
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(KycStatusEnum, { name: 'KycStatus' });

export enum ScreeningStatusEnum {
  NOT_SCREENED = 'NOT_SCREENED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(ScreeningStatusEnum, { name: 'ScreeningStatus' });

/** A person on the network. Other subgraphs extend it by `id`. */
@ObjectType('User')
@Directive('@key(fields: "id")')
export class UserModel {
  @Field(() => ID)
  id: string;

  /** Resolved by UsersResolver: visible to the user and admins only. */
  email?: string;

  /** Resolved by UsersResolver: visible to admins only. */
  disabledAt?: Date | null;

  /** Set when the response is for the user themselves though the request carries no token yet (register, login). */
  viewerIsSelf?: boolean;

  @Field()
  displayName: string;

  @Field(() => [RoleEnum])
  roles: RoleEnum[];

  @Field(() => KycStatusEnum)
  kycStatus: KycStatusEnum;

  @Field({ description: 'True once KYC is approved: only members may post, apply, refer, earn, vote.' })
  isMember: boolean;

  @Field(() => ScreeningStatusEnum, { description: 'Peer screening of talent by inspectors.' })
  screeningStatus: ScreeningStatusEnum;

  @Field()
  createdAt: Date;
}
