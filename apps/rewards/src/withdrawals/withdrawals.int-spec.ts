// '@talent/platform' re-exports its JWKS verifier, which loads the ESM-only `jose`; no tokens here.
jest.mock('jose', () => ({ createRemoteJWKSet: jest.fn(), jwtVerify: jest.fn() }));

/** Withdrawals on a real PostgreSQL: validation, the hold at request, sending, and failure after the last attempt. */
import { randomUUID } from 'node:crypto';
import { addMember, assertLedgerConsistent, balanceOf, fund, openRewards, walletOf, type RewardsHarness } from '../../test/harness';
import { SystemAccounts } from '../ledger/accounts';
import { ChainAdapter, type ChainTransfer } from './chain-adapter';

/** Fails while `failing` is set, otherwise answers with a fixed hash. */
class FlakyChain extends ChainAdapter {
  failing = false;
  calls: ChainTransfer[] = [];
  async transfer(t: ChainTransfer): Promise<{ txHash: string }> {
    this.calls.push(t);
    if (this.failing) throw new Error('node unreachable');
    return { txHash: `0x${'ab'.repeat(32)}` };
  }
}

const ADDRESS = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
let h: RewardsHarness;
const chain = new FlakyChain();

beforeAll(async () => {
  h = await openRewards('withdrawals', { chain });
});

afterAll(async () => {
  await h?.close();
});

const caller = (id: string) => ({ id, roles: ['TALENT' as const] });

describe('withdrawals', () => {
  it('validates the request: members only, a positive amount of at most 18 decimals, an EIP-55 address, the available balance', async () => {
    const member = await addMember(h);
    await fund(h, member, '10');
    const stranger = randomUUID();
    await expect(h.withdrawals.request(caller(stranger), '1', ADDRESS)).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    for (const amount of ['0', '-1', '1.0000000000000000001', 'abc']) {
      await expect(h.withdrawals.request(caller(member), amount, ADDRESS)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'amount' } });
    }
    for (const address of [ADDRESS.toLowerCase(), ADDRESS.replace('aA', 'AA'), '0x1234', `0x${'0'.repeat(40)}`]) {
      await expect(h.withdrawals.request(caller(member), '1', address)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'toAddress' } });
    }
    await expect(h.withdrawals.request(caller(member), '10.000000000000000001', ADDRESS)).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    await expect(h.withdrawals.request(caller(member), '999999999999999999999999', ADDRESS)).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect(await walletOf(h, member)).toEqual({ balance: '10', locked: '0', available: '10' });
    expect(h.queued).toEqual([]);
  });

  it('holds the amount at request and sends it: SENT with the hash, pending -> external', async () => {
    const member = await addMember(h);
    await fund(h, member, '10');
    const w = await h.withdrawals.request(caller(member), '4.5', ADDRESS);
    expect(w).toMatchObject({ status: 'REQUESTED', amount: '4.5', toAddress: ADDRESS });
    expect(h.queued).toContain(w.id);
    expect(await walletOf(h, member)).toEqual({ balance: '5.5', locked: '0', available: '5.5' });
    expect(await balanceOf(h, SystemAccounts.withdrawalsPending.id)).toBe('4.5');

    expect(await h.core.withdrawalProcessor.process(w.id, false)).toBe('SENT');
    expect(await h.core.withdrawalProcessor.process(w.id, false)).toBe('SKIPPED');
    const [row] = await h.withdrawals.mine(caller(member));
    expect(row).toMatchObject({ id: w.id, status: 'SENT', txHash: `0x${'ab'.repeat(32)}` });
    expect(await balanceOf(h, SystemAccounts.withdrawalsPending.id)).toBe('0');
    expect(await balanceOf(h, SystemAccounts.external.id)).toBe('4.5');
    expect(await walletOf(h, member)).toEqual({ balance: '5.5', locked: '0', available: '5.5' });
    const types = (await h.sql(`SELECT type FROM outbox WHERE message_key = $1 ORDER BY seq`, [w.id])).map((r) => r.type);
    expect(types).toEqual(['WithdrawalRequested', 'WithdrawalSent']);
  });

  it('retries a failing transfer, then fails it after the last attempt and returns the funds', async () => {
    const member = await addMember(h);
    await fund(h, member, '3');
    const w = await h.withdrawals.request(caller(member), '3', ADDRESS);
    chain.failing = true;
    expect(await h.core.withdrawalProcessor.process(w.id, false)).toBe('RETRY');
    expect(await walletOf(h, member)).toEqual({ balance: '0', locked: '0', available: '0' });
    expect(await h.core.withdrawalProcessor.process(w.id, true)).toBe('FAILED');
    chain.failing = false;
    expect(await h.core.withdrawalProcessor.process(w.id, true)).toBe('SKIPPED');
    expect(await walletOf(h, member)).toEqual({ balance: '3', locked: '0', available: '3' });
    const [row] = await h.withdrawals.mine(caller(member));
    expect(row).toMatchObject({ status: 'FAILED', txHash: null });
    const [sent] = await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'WithdrawalSent' AND message_key = $1`, [w.id]);
    expect(sent.p).toMatchObject({ status: 'FAILED', txHash: null, amount: '3' });
    const entries = (await h.core.wallets.entries(member, 10)).edges.map((e) => [e.node.kind, e.node.amount, e.node.reason]);
    expect(entries).toEqual([
      ['WITHDRAWAL', '3', 'withdrawal.failed'],
      ['WITHDRAWAL', '-3', 'withdrawal.requested'],
      ['GRANT', '3', 'test.fund'],
    ]);
    await assertLedgerConsistent(h);
  });

  it('lists withdrawals newest first, only the caller\'s', async () => {
    const member = await addMember(h);
    await fund(h, member, '3');
    const a = await h.withdrawals.request(caller(member), '1', ADDRESS);
    const b = await h.withdrawals.request(caller(member), '1', ADDRESS);
    expect((await h.withdrawals.mine(caller(member))).map((w) => w.id)).toEqual([b.id, a.id]);
    expect(await h.withdrawals.mine(caller(randomUUID()))).toEqual([]);
  });
});
