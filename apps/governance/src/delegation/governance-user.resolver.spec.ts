import { randomUUID } from 'node:crypto';
import type { RequestContext } from '@talent/platform';
import { userRef } from '../shared/user.model';
import type { DelegateVotes } from './delegate-votes';
import type { DelegationService } from './delegation.service';
import { GovernanceUserResolver } from './governance-user.resolver';
import type { VotingPowerService } from './voting-power.service';

describe('GovernanceUserResolver', () => {
  const users = Array.from({ length: 5 }, () => randomUUID());
  const setUp = () => {
    const power = { currentOf: jest.fn(async (ids: string[]) => new Map(ids.map((id) => [id, '1.5']))) };
    const delegation = { delegatesAt: jest.fn(async (ids: string[]) => new Map(ids.map((id) => [id, id === users[0] ? users[1] : null]))) };
    const resolver = new GovernanceUserResolver(delegation as unknown as DelegationService, power as unknown as VotingPowerService, {} as DelegateVotes);
    return { power, delegation, resolver };
  };
  const request = () => ({}) as RequestContext;

  it('reads the voting power of a list of users in one query per request', async () => {
    const { power, resolver } = setUp();
    const context = request();
    const powers = await Promise.all(users.map((id) => resolver.votingPower(userRef(id.toUpperCase()), context)));
    expect(powers).toEqual(users.map(() => '1.5'));
    expect(power.currentOf).toHaveBeenCalledTimes(1);
    expect(power.currentOf).toHaveBeenCalledWith(users);

    // Another request (another caller) shares nothing with the first.
    await resolver.votingPower(userRef(users[0]), request());
    expect(power.currentOf).toHaveBeenCalledTimes(2);
  });

  it('reads the delegates of a list of users in one query per request', async () => {
    const { delegation, resolver } = setUp();
    const context = request();
    const delegates = await Promise.all(users.map((id) => resolver.delegate(userRef(id), context)));
    expect(delegates.map((d) => d?.id ?? null)).toEqual([users[1], null, null, null, null]);
    expect(delegation.delegatesAt).toHaveBeenCalledTimes(1);
  });
});
