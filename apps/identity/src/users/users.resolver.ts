import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import {
  Authenticated,
  BatchLoader,
  CurrentUser,
  hasRole,
  isUuid,
  PerRequest,
  UseCaseCtx,
  type AuthUser,
  type RequestContext,
  type UseCaseContext,
} from '@talent/platform';
import { OrganizationModel } from '../organizations/organization.model';
import { OrganizationsService } from '../organizations/organizations.service';
import { DisableAccount } from './disable-account';
import { EnableAccount } from './enable-account';
import { GrantRole } from './grant-role';
import { RevokeRole } from './revoke-role';
import { RoleEnum, UserModel } from './user.model';
import type { UserRecord } from './user.entity';
import { toUserModel, UsersService } from './users.service';

@Resolver(() => UserModel)
export class UsersResolver {
  // Per request: the users one `_entities` call names (a list's clients, talents) are read in one query.
  private readonly byId: PerRequest<BatchLoader<string, UserRecord | null>>;

  constructor(
    private readonly users: UsersService,
    private readonly orgs: OrganizationsService,
    private readonly grantRoleUseCase: GrantRole,
    private readonly revokeRoleUseCase: RevokeRole,
    private readonly disableAccount: DisableAccount,
    private readonly enableAccount: EnableAccount,
  ) {
    this.byId = new PerRequest(() => BatchLoader.orNull((ids) => this.users.findByIds(ids)));
  }

  @Query(() => UserModel, { nullable: true, description: 'The signed-in user, or null when anonymous.' })
  async me(@CurrentUser() caller: AuthUser | null): Promise<UserModel | null> {
    if (!caller) return null;
    const user = await this.users.findById(caller.id);
    return user ? toUserModel(user) : null;
  }

  @Query(() => UserModel, { nullable: true })
  async user(@Args('id', { type: () => ID }) id: string): Promise<UserModel | null> {
    if (!isUuid(id)) return null;
    const user = await this.users.findById(id);
    return user ? toUserModel(user) : null;
  }

  /** Lookup by key (`_entities`). Public, like `user(id)`: the same profile for a lookup by key; `email` decides for itself (user and admins). */
  @ResolveReference()
  async resolveReference(ref: { __typename: 'User'; id: string }, context: RequestContext): Promise<UserModel | null> {
    if (!isUuid(ref.id)) return null;
    const user = await this.byId.for(context).load(ref.id.toLowerCase());
    return user ? toUserModel(user) : null;
  }

  @ResolveField(() => String, { nullable: true, description: 'Visible to the user and to admins only; null for others.' })
  email(@Parent() user: UserModel, @CurrentUser() caller: AuthUser | null): string | null {
    const allowed = user.viewerIsSelf || caller?.id === user.id || hasRole(caller, 'ADMIN');
    return allowed ? (user.email ?? null) : null;
  }

  @ResolveField(() => Date, { nullable: true, description: 'When an admin disabled the account; visible to admins only, null for others.' })
  disabledAt(@Parent() user: UserModel, @CurrentUser() caller: AuthUser | null): Date | null {
    return hasRole(caller, 'ADMIN') ? (user.disabledAt ?? null) : null;
  }

  @ResolveField(() => [OrganizationModel])
  organizations(@Parent() user: UserModel): Promise<OrganizationModel[]> {
    return this.orgs.forUser(user.id);
  }

  @Mutation(() => UserModel, {
    description:
      "ADMIN only. INSPECTOR and ADMIN are only ever granted this way. The user's current access tokens are refused from then on: the next refresh or sign-in carries the new role.",
  })
  @Authenticated()
  async grantRole(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('role', { type: () => RoleEnum }) role: RoleEnum,
  ): Promise<UserModel> {
    return toUserModel(await this.grantRoleUseCase.execute(ctx, { userId, role }));
  }

  @Mutation(() => UserModel, {
    description:
      "ADMIN only. Takes a role back: the user's tokens carrying it are refused at every subgraph within seconds. An admin cannot take ADMIN from themselves, nor from the last active admin (PRECONDITION_FAILED).",
  })
  @Authenticated()
  async revokeRole(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('role', { type: () => RoleEnum }) role: RoleEnum,
  ): Promise<UserModel> {
    return toUserModel(await this.revokeRoleUseCase.execute(ctx, { userId, role }));
  }

  @Mutation(() => UserModel, {
    description:
      'ADMIN only. The account can no longer sign in or refresh, and every token it holds is refused within seconds. Not oneself, nor the last active admin.',
  })
  @Authenticated()
  async disableUser(@UseCaseCtx() ctx: UseCaseContext, @Args('userId', { type: () => ID }) userId: string): Promise<UserModel> {
    return toUserModel(await this.disableAccount.execute(ctx, { userId }));
  }

  @Mutation(() => UserModel, { description: 'ADMIN only. Lets a disabled account sign in again; its old sessions stay ended.' })
  @Authenticated()
  async enableUser(@UseCaseCtx() ctx: UseCaseContext, @Args('userId', { type: () => ID }) userId: string): Promise<UserModel> {
    return toUserModel(await this.enableAccount.execute(ctx, { userId }));
  }
}
