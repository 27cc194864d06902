import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, type AuthUser, CurrentUser, pageSize } from '@talent/platform';
import { RoleEnum, UserModel } from '../users/user.model';
import { toUserModel, UsersService } from '../users/users.service';
import { KycAccessLog } from './kyc-access-log';
import type { KycDetailsReadRecord } from './kyc-details-read.entity';
import { KycDetailFieldEnum, KycDetailsAccessConnection, KycDetailsAccessModel } from './kyc.model';

export const toAccessModel = (r: KycDetailsReadRecord): KycDetailsAccessModel =>
  Object.assign(new KycDetailsAccessModel(), {
    id: r.id,
    caseId: r.caseId,
    readerId: r.readerId,
    readerRoles: r.readerRoles as RoleEnum[],
    fields: r.fields as KycDetailFieldEnum[],
    readAt: r.readAt,
  });

/** The owner's view of the audit log of KYC details reads. */
@Resolver(() => KycDetailsAccessModel)
export class KycAccessLogResolver {
  constructor(
    private readonly log: KycAccessLog,
    private readonly users: UsersService,
  ) {}

  @Query(() => KycDetailsAccessConnection, {
    description: "Every read of the decrypted details of the caller's KYC cases (who, which fields, when), newest first.",
  })
  @Authenticated()
  async myKycAccessLog(
    @CurrentUser() caller: AuthUser,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<KycDetailsAccessConnection> {
    const page = await this.log.forOwner(caller.id, pageSize(first, 20), after);
    const edges = page.edges.map((e) => ({ cursor: e.cursor, node: toAccessModel(e.node) }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @ResolveField(() => UserModel, { description: 'Who read the details.' })
  async reader(@Parent() access: KycDetailsAccessModel): Promise<UserModel> {
    return toUserModel(await this.users.getOrThrow(access.readerId));
  }
}
