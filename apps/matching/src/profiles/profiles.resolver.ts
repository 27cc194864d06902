import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Authenticated, BatchLoader, isUuid, PerRequest, UseCaseCtx, type RequestContext, type UseCaseContext } from '@talent/platform';
import type { TalentProfileRecord } from './talent-profile.entity';
import { TalentProfileInput, TalentProfileModel } from './talent-profile.model';
import { ProfilesService } from './profiles.service';
import { UpsertTalentProfile } from './upsert-talent-profile';
import { UserReference, userReference } from './user.reference';

export const toProfileModel = (p: TalentProfileRecord): TalentProfileModel =>
  Object.assign(new TalentProfileModel(), {
    userId: p.userId,
    headline: p.headline,
    skills: p.skills,
    yearsExperience: p.yearsExperience,
    hourlyRate: { amount: p.hourlyRate, currency: p.currency },
    country: p.country,
    hoursPerWeek: p.hoursPerWeek,
    openToWork: p.openToWork,
    updatedAt: p.updatedAt,
  });

@Resolver(() => TalentProfileModel)
export class ProfilesResolver {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly upsertProfile: UpsertTalentProfile,
  ) {}

  @Query(() => TalentProfileModel, { nullable: true, description: "A talent's profile (public); null when they have none." })
  async talentProfile(@Args('userId', { type: () => ID }) userId: string): Promise<TalentProfileModel | null> {
    if (!isUuid(userId)) return null;
    const id = userId.toLowerCase();
    const profile = (await this.profiles.findByUserIds([id])).get(id);
    return profile ? toProfileModel(profile) : null;
  }

  @Mutation(() => TalentProfileModel, { description: "TALENT only: creates or replaces the caller's profile." })
  @Authenticated()
  async upsertTalentProfile(@UseCaseCtx() ctx: UseCaseContext, @Args('input') input: TalentProfileInput): Promise<TalentProfileModel> {
    return toProfileModel(await this.upsertProfile.execute(ctx, input));
  }

  @ResolveField(() => UserReference)
  user(@Parent() profile: TalentProfileModel): UserReference {
    return userReference(profile.userId);
  }
}

/** Extends identity's User with the talent's profile. */
@Resolver(() => UserReference)
export class TalentUserResolver {
  // Per request: the talents of a list (matches, applicants) have their profiles read in one query.
  private readonly profileLoaders: PerRequest<BatchLoader<string, TalentProfileRecord | null>>;

  constructor(private readonly profiles: ProfilesService) {
    this.profileLoaders = new PerRequest(() => BatchLoader.orNull((ids) => this.profiles.findByUserIds(ids)));
  }

  /** Lookup by key (`_entities`). Public: a key only, nothing read; `talentProfile` is public, like the `talentProfile(userId)` query. */
  @ResolveReference()
  resolveReference(ref: { __typename: 'User'; id: string }): UserReference {
    return userReference(ref.id);
  }

  @ResolveField(() => TalentProfileModel, { nullable: true })
  async talentProfile(@Parent() user: UserReference, @Context() context: RequestContext): Promise<TalentProfileModel | null> {
    if (!isUuid(user.id)) return null;
    const profile = await this.profileLoaders.for(context).load(user.id.toLowerCase());
    return profile ? toProfileModel(profile) : null;
  }
}
