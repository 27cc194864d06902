import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CurrentUser, hasRole, isUuid, RequestMeta, RequireRoles, type AuthUser } from '@talent/platform';
import { OrganizationModel } from '../organizations/organization.model';
import { OrganizationsService } from '../organizations/organizations.service';
import { RoleEnum, UserModel } from './user.model';
import { toUserModel, UsersService } from './users.service';

@Resolver(() => UserModel)
export class UsersResolver {
  constructor(
    private readonly users: UsersService,
    private readonly orgs: OrganizationsService,
  ) {}

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

  @ResolveReference()
  async resolveReference(ref: { __typename: 'User'; id: string }): Promise<UserModel | null> {
    if (!isUuid(ref.id)) return null;
    const user = await this.users.findById(ref.id);
    return user ? toUserModel(user) : null;
  }

  @ResolveField(() => String, { nullable: true, description: 'Visible to the user and to admins only; null for others.' })
  email(@Parent() user: UserModel, @CurrentUser() caller: AuthUser | null): string | null {
    const allowed = user.viewerIsSelf || caller?.id === user.id || hasRole(caller, 'ADMIN');
    return allowed ? (user.email ?? null) : null;
  }

  @ResolveField(() => [OrganizationModel])
  organizations(@Parent() user: UserModel): Promise<OrganizationModel[]> {
    return this.orgs.forUser(user.id);
  }

  @Mutation(() => UserModel, { description: 'ADMIN only. INSPECTOR and ADMIN are only ever granted this way.' })
  @RequireRoles('ADMIN')
  async grantRole(
    @CurrentUser() caller: AuthUser,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('role', { type: () => RoleEnum }) role: RoleEnum,
    @RequestMeta() meta: { traceparent?: string },
  ): Promise<UserModel> {
    return toUserModel(await this.users.grantRole(caller, userId, role, meta.traceparent));
  }
}
