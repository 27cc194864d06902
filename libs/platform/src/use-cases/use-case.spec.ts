import type { DataSource, EntityManager } from 'typeorm';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { AuthUser } from '../auth/auth-user';
import { assertSystem, callerOf, inUseCaseTransaction, systemContext } from './use-case';

describe('use-case context', () => {
  const user = { id: 'U1' } as AuthUser;
  const callersTx = { name: 'caller tx' } as unknown as EntityManager;
  const ownTx = { name: 'own tx' } as unknown as EntityManager;
  const dataSource = { transaction: jest.fn(async (work: (tx: EntityManager) => Promise<unknown>) => work(ownTx)) } as unknown as DataSource;

  it("joins the caller's transaction when the context carries one (an event handler's, with its inbox row)", async () => {
    await expect(inUseCaseTransaction(systemContext({ tx: callersTx }), dataSource, async (tx) => tx)).resolves.toBe(callersTx);
    expect(dataSource.transaction).not.toHaveBeenCalled();
  });

  it('opens a transaction of its own otherwise', async () => {
    await expect(inUseCaseTransaction({ caller: user }, dataSource, async (tx) => tx)).resolves.toBe(ownTx);
  });

  it('gives the signed-in caller, and UNAUTHENTICATED for the system context', () => {
    expect(callerOf({ caller: user })).toBe(user);
    expect(() => callerOf(systemContext())).toThrow(UnauthenticatedError);
  });

  it('refuses a signed-in caller (FORBIDDEN) where only the system may act', () => {
    expect(() => assertSystem(systemContext(), 'SettleWithdrawal')).not.toThrow();
    expect(() => assertSystem({ caller: user }, 'SettleWithdrawal')).toThrow(ForbiddenError);
  });
});
