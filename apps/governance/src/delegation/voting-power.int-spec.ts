/**
 * Balance checkpoints and voting power on a real PostgreSQL: balances and power at past
 * instants as delegations change, duplicate and out-of-order BalanceChanged events,
 * the delegation rules, and the append-only history.
 */
import { randomUUID } from 'node:crypto';
import { DomainError, type UseCaseContext } from '@talent/platform';
import { addMember, balanceChanged, openGovernance, type GovernanceHarness } from '../../test/harness';
import { CURRENT } from './instant';

let h: GovernanceHarness;

beforeAll(async () => {
  h = await openGovernance('power');
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

const as = (id: string): UseCaseContext => ({ caller: { id, roles: ['TALENT'] } });
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);
const dbNow = async (): Promise<Date> => (await h.sql<{ t: Date }>(`SELECT clock_timestamp() AS t`))[0].t;
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
const codeOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a domain error');
};

describe('balance checkpoints', () => {
  it('answers the balance at any instant: the latest checkpoint at or before it, 0 before the first', async () => {
    const user = randomUUID();
    const base = new Date('2024-01-01T00:00:00Z');
    await balanceChanged(h, user, '25', at(base, 10));
    await balanceChanged(h, user, '100.5', at(base, 20));
    await balanceChanged(h, user, '0.000000000000000001', at(base, 30));

    expect(await h.checkpoints.balanceAt(h.dataSource.manager, user, at(base, 0))).toBe('0');
    expect(await h.checkpoints.balanceAt(h.dataSource.manager, user, at(base, 10))).toBe('25');
    expect(await h.checkpoints.balanceAt(h.dataSource.manager, user, at(base, 19))).toBe('25');
    expect(await h.checkpoints.balanceAt(h.dataSource.manager, user, at(base, 20))).toBe('100.5');
    expect(await h.checkpoints.balanceAt(h.dataSource.manager, user, at(base, 60))).toBe('0.000000000000000001');
    expect(await h.power.votingPowerAt(h.dataSource.manager, user, at(base, 25))).toBe('100.5');
    expect(await h.power.current(user)).toBe('0.000000000000000001');
    expect(await h.power.current(randomUUID())).toBe('0');
  });

  it('ignores a duplicate: the same envelope redelivered, or another envelope for the same ledger entry', async () => {
    const user = randomUUID();
    const entryId = randomUUID();
    const when = new Date('2024-02-01T00:00:00Z');
    const first = await balanceChanged(h, user, '40', when, entryId);
    await h.deliver(first);
    await balanceChanged(h, user, '999', when, entryId);
    expect(await h.sql(`SELECT trim_scale(balance)::text AS balance FROM balance_checkpoints WHERE user_id = $1`, [user])).toEqual([{ balance: '40' }]);
    expect(await h.power.current(user)).toBe('40');
  });

  it('keeps an older event that arrives late in the past, where it belongs: it never overrides a newer checkpoint', async () => {
    const user = randomUUID();
    const base = new Date('2024-03-01T00:00:00Z');
    await balanceChanged(h, user, '10', at(base, 0));
    await balanceChanged(h, user, '30', at(base, 20));
    await balanceChanged(h, user, '20', at(base, 10)); // late
    expect(await h.power.current(user)).toBe('30');
    expect(await h.power.votingPowerAt(h.dataSource.manager, user, at(base, 5))).toBe('10');
    expect(await h.power.votingPowerAt(h.dataSource.manager, user, at(base, 15))).toBe('20');
    expect(await h.power.votingPowerAt(h.dataSource.manager, user, at(base, 25))).toBe('30');
  });

  it('is append-only', async () => {
    const user = randomUUID();
    await balanceChanged(h, user, '1', new Date('2024-04-01T00:00:00Z'));
    await expect(h.sql(`UPDATE balance_checkpoints SET balance = 2 WHERE user_id = $1`, [user])).rejects.toThrow(/append-only/);
    await expect(h.sql(`DELETE FROM balance_checkpoints WHERE user_id = $1`, [user])).rejects.toThrow(/append-only/);
  });
});

describe('voting power at past instants', () => {
  it('follows a history of balances and delegations (one level: received power is not passed on)', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const base = new Date('2024-05-01T00:00:00Z');
    await balanceChanged(h, a, '10', at(base, 0));
    await balanceChanged(h, b, '5', at(base, 0));
    await balanceChanged(h, c, '1', at(base, 0));
    await balanceChanged(h, a, '12.25', at(base, 30));
    // A history as DelegationService appends it: t10 a->b, t20 b->c, t40 a back to itself, t50 b back to itself.
    for (const [delegator, delegatee, minute] of [
      [a, b, 10],
      [b, c, 20],
      [a, null, 40],
      [b, null, 50],
    ] as const) {
      await h.sql(`INSERT INTO delegations (delegator_id, delegatee_id, from_time) VALUES ($1, $2, $3)`, [delegator, delegatee, at(base, minute)]);
    }
    const powers = async (minute: number) => Promise.all([a, b, c].map((u) => h.power.votingPowerAt(h.dataSource.manager, u, at(base, minute))));

    expect(await powers(5)).toEqual(['10', '5', '1']);
    expect(await powers(10)).toEqual(['0', '15', '1']);
    // b delegated its own 5 to c, and keeps a's 10 (not transitive).
    expect(await powers(25)).toEqual(['0', '10', '6']);
    // a's balance changed while delegated: the delegate's power follows it.
    expect(await powers(35)).toEqual(['0', '12.25', '6']);
    expect(await powers(45)).toEqual(['12.25', '0', '6']);
    expect(await powers(55)).toEqual(['12.25', '5', '1']);
    expect(await Promise.all([a, b, c].map((u) => h.power.current(u)))).toEqual(['12.25', '5', '1']);
  });

  it('sums delegated NUMERIC balances exactly', async () => {
    const delegatee = await addMember(h);
    const delegators = await Promise.all([addMember(h), addMember(h), addMember(h)]);
    const when = new Date('2024-06-01T00:00:00Z');
    await balanceChanged(h, delegatee, '0.1', when);
    for (const d of delegators) {
      await balanceChanged(h, d, '0.2', when);
      await h.delegateVotes.execute(as(d), { toUserId: delegatee });
    }
    await balanceChanged(h, delegators[0], '123456789012345678.000000000000000001', at(when, 1));
    expect(await h.power.current(delegatee)).toBe('123456789012345678.500000000000000001');
  });

  it('answers a list of users in one query (GraphQL lists) as it answers each of them', async () => {
    const [a, b, c, unknown] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const base = new Date('2024-07-01T00:00:00Z');
    await balanceChanged(h, a, '7.5', at(base, 0));
    await balanceChanged(h, b, '3', at(base, 0));
    await balanceChanged(h, c, '1', at(base, 0));
    await h.sql(`INSERT INTO delegations (delegator_id, delegatee_id, from_time) VALUES ($1, $2, $3)`, [a, b, at(base, 10)]);
    const users = [a, b, c, unknown];
    const powers = await h.power.currentOf(users);
    expect(users.map((u) => powers.get(u))).toEqual(await Promise.all(users.map((u) => h.power.current(u))));
    expect(users.map((u) => powers.get(u))).toEqual(['0', '10.5', '1', '0']);
    const delegates = await h.delegation.delegatesAt(users, CURRENT);
    expect(users.map((u) => delegates.get(u))).toEqual(await Promise.all(users.map((u) => h.delegation.delegateAt(h.dataSource.manager, u, CURRENT))));
    expect(users.map((u) => delegates.get(u))).toEqual([b, null, null, null]);
  });
});

describe('delegateVotes', () => {
  it('moves power from now on and keeps the past as it was; delegating to oneself restores it', async () => {
    const [alice, bob] = [await addMember(h), await addMember(h)];
    const earlier = new Date(Date.now() - 3_600_000);
    await balanceChanged(h, alice, '25', earlier);
    await balanceChanged(h, bob, '3', earlier);

    const before = await dbNow();
    await pause();
    expect(await h.delegateVotes.execute(as(alice), { toUserId: bob.toUpperCase() })).toBe(alice);
    await pause();
    const delegated = await dbNow();
    await pause();
    expect(await h.delegateVotes.execute(as(alice), { toUserId: alice })).toBe(alice);
    await pause();
    const restored = await dbNow();

    expect(await h.delegation.delegateAt(h.dataSource.manager, alice, before)).toBeNull();
    expect(await h.delegation.delegateAt(h.dataSource.manager, alice, delegated)).toBe(bob);
    expect(await h.delegation.delegateAt(h.dataSource.manager, alice, CURRENT)).toBeNull();
    expect([await h.power.votingPowerAt(h.dataSource.manager, alice, before), await h.power.votingPowerAt(h.dataSource.manager, bob, before)]).toEqual([
      '25',
      '3',
    ]);
    expect([await h.power.votingPowerAt(h.dataSource.manager, alice, delegated), await h.power.votingPowerAt(h.dataSource.manager, bob, delegated)]).toEqual([
      '0',
      '28',
    ]);
    expect([await h.power.votingPowerAt(h.dataSource.manager, alice, restored), await h.power.votingPowerAt(h.dataSource.manager, bob, restored)]).toEqual([
      '25',
      '3',
    ]);
    const history = await h.sql(`SELECT delegatee_id FROM delegations WHERE delegator_id = $1 ORDER BY from_time, id`, [alice]);
    expect(history).toEqual([{ delegatee_id: bob }, { delegatee_id: null }]);
  });

  it('appends nothing when the delegate does not change, and orders concurrent changes', async () => {
    const [u, v, w] = [await addMember(h), await addMember(h), await addMember(h)];
    await h.delegateVotes.execute(as(u), { toUserId: u });
    expect(await h.sql(`SELECT 1 FROM delegations WHERE delegator_id = $1`, [u])).toEqual([]);
    await h.delegateVotes.execute(as(u), { toUserId: v });
    await h.delegateVotes.execute(as(u), { toUserId: v });
    expect(await h.sql(`SELECT 1 FROM delegations WHERE delegator_id = $1`, [u])).toHaveLength(1);

    await Promise.all([
      h.delegateVotes.execute(as(u), { toUserId: w }),
      h.delegateVotes.execute(as(u), { toUserId: v }),
      h.delegateVotes.execute(as(u), { toUserId: w }),
    ]);
    const rows = await h.sql<{ delegatee_id: string; from_time: Date }>(`SELECT delegatee_id, from_time FROM delegations WHERE delegator_id = $1 ORDER BY id`, [
      u,
    ]);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].from_time.getTime()).toBeGreaterThanOrEqual(rows[i - 1].from_time.getTime());
      expect(rows[i].delegatee_id).not.toBe(rows[i - 1].delegatee_id);
    }
    expect(await h.delegation.delegateAt(h.dataSource.manager, u, CURRENT)).toBe(rows.at(-1)!.delegatee_id);
  });

  it('refuses non-members, unknown or non-member targets and malformed ids', async () => {
    const member = await addMember(h);
    const outsider = randomUUID();
    await balanceChanged(h, outsider, '7', new Date('2024-07-01T00:00:00Z'));
    expect(await codeOf(h.delegateVotes.execute(as(outsider), { toUserId: member }))).toBe('PRECONDITION_FAILED');
    expect(await codeOf(h.delegateVotes.execute(as(member), { toUserId: outsider }))).toBe('NOT_FOUND');
    expect(await codeOf(h.delegateVotes.execute(as(member), { toUserId: randomUUID() }))).toBe('NOT_FOUND');
    expect(await codeOf(h.delegateVotes.execute(as(member), { toUserId: 'not-a-uuid' }))).toBe('BAD_USER_INPUT');
    expect(await h.sql(`SELECT 1 FROM delegations WHERE delegator_id IN ($1, $2)`, [member, outsider])).toEqual([]);
    await expect(h.sql(`INSERT INTO delegations (delegator_id, delegatee_id, from_time) VALUES ($1, $1, now())`, [member])).rejects.toThrow(/check/);
  });
});
