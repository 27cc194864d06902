import { randomUUID } from 'node:crypto';
import type { RequestContext } from '@talent/platform';
import type { OrganizationsService } from '../organizations/organizations.service';
import type { DisableAccount } from './disable-account';
import type { EnableAccount } from './enable-account';
import type { GrantRole } from './grant-role';
import type { RevokeRole } from './revoke-role';
import type { UserRecord } from './user.entity';
import { UsersResolver } from './users.resolver';
import type { UsersService } from './users.service';

/** The resolver's use cases: a lookup by key calls none. */
const useCasesNotCalled = [{}, {}, {}, {}] as unknown as [GrantRole, RevokeRole, DisableAccount, EnableAccount];

describe('UsersResolver.resolveReference', () => {
  it('reads the users of one `_entities` call in one query, per request', async () => {
    const ids = Array.from({ length: 4 }, () => randomUUID());
    const record = (id: string) => ({ id, displayName: `user ${id}`, roles: ['TALENT'], createdAt: new Date() }) as unknown as UserRecord;
    const users = { findByIds: jest.fn(async (keys: string[]) => new Map(keys.filter((k) => k !== ids[3]).map((k) => [k, record(k)]))) };
    const resolver = new UsersResolver(users as unknown as UsersService, {} as OrganizationsService, ...useCasesNotCalled);
    const context = {} as RequestContext;

    const found = await Promise.all(ids.map((id) => resolver.resolveReference({ __typename: 'User', id: id.toUpperCase() }, context)));
    expect(found.map((u) => u?.id ?? null)).toEqual([ids[0], ids[1], ids[2], null]);
    expect(users.findByIds).toHaveBeenCalledTimes(1);
    expect(users.findByIds).toHaveBeenCalledWith(ids);

    await resolver.resolveReference({ __typename: 'User', id: ids[0] }, {} as RequestContext);
    expect(users.findByIds).toHaveBeenCalledTimes(2); // another request reads again
  });
});
