import { BatchLoader, isUuid, PerRequest } from '@talent/platform';
import { Context, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import type { RequestContext } from '@talent/platform';

import { emptyReputation, ReputationService } from './reputation.service';
import { ReputationModel, UserRef, userRef } from './user.model';

/** Jobs' part of `User`: its reputation, from the ratings and contracts this service owns. */
@Resolver(() => UserRef)
export class UsersResolver {
  private readonly loaders: PerRequest<BatchLoader<string, ReputationModel>>;

  constructor(private readonly reputations: ReputationService) {
    this.loaders = new PerRequest(() => new BatchLoader((ids) => this.reputations.of(ids)));
  }

  /** Lookup by key (`_entities`). Public: a key only, nothing read; `reputation` is public. */
  @ResolveReference()
  resolveReference(ref: { __typename: 'User'; id: string }): UserRef | null {
    return isUuid(ref.id) ? userRef(ref.id) : null;
  }

  @ResolveField(() => ReputationModel)
  reputation(@Parent() user: UserRef, @Context() context: RequestContext): Promise<ReputationModel> {
    // Users identity knows but jobs never saw simply have an empty reputation.
    if (!isUuid(user.id)) return Promise.resolve(emptyReputation());
    return this.loaders.for(context).load(user.id.toLowerCase());
  }
}
