import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Authenticated, BatchLoader, isUuid, PerRequest, type RequestContext, UseCaseCtx, type UseCaseContext } from '@talent/platform';
import { UserModel } from '../users/user.model';
import { toUserModel } from '../users/users.service';
import { OrganizationModel } from './organization.model';
import { CreateOrganization } from './create-organization';
import { OrganizationsService } from './organizations.service';

@Resolver(() => OrganizationModel)
export class OrganizationsResolver {
  // Per request: the organizations one `_entities` call names are read in one query.
  private readonly byId: PerRequest<BatchLoader<string, OrganizationModel | null>>;

  constructor(
    private readonly organizations: OrganizationsService,
    private readonly createOrganizationUseCase: CreateOrganization,
  ) {
    this.byId = new PerRequest(() => BatchLoader.orNull((ids) => this.organizations.findByIds(ids)));
  }

  @Query(() => OrganizationModel, { nullable: true })
  organization(@Args('id', { type: () => ID }) id: string): Promise<OrganizationModel | null> {
    return isUuid(id) ? this.organizations.findById(id) : Promise.resolve(null);
  }

  /** Lookup by key (`_entities`). Public, like `organization(id)`. */
  @ResolveReference()
  resolveReference(ref: { id: string }, context: RequestContext): Promise<OrganizationModel | null> {
    return isUuid(ref.id) ? this.byId.for(context).load(ref.id.toLowerCase()) : Promise.resolve(null);
  }

  @Mutation(() => OrganizationModel)
  @Authenticated()
  createOrganization(@UseCaseCtx() ctx: UseCaseContext, @Args('name') name: string): Promise<OrganizationModel> {
    return this.createOrganizationUseCase.execute(ctx, { name });
  }

  @ResolveField(() => [UserModel])
  async members(@Parent() org: OrganizationModel): Promise<UserModel[]> {
    return (await this.organizations.members(org.id)).map(toUserModel);
  }
}
