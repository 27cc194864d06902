/** Withdrawals on a real PostgreSQL: validation, the hold at request, sending, and failure after the last attempt. */
import { randomUUID } from 'node:crypto';
import { systemContext, type UseCaseContext } from '@talent/platform';
import { addMember, assertLedgerConsistent, balanceOf, fund, openRewards, walletOf, type RewardsHarness } from '../../test/harness';
import { SystemAccounts } from '../ledger/accounts';
import { ChainAdapter, type ChainTransfer, type TransferStatus } from './chain-adapter';
import { toChecksumAddress } from './eip55';
import { CheckWithdrawal, ProcessWithdrawal } from './withdrawal.jobs';

/** Fails while `failing` is set (before sending anything), otherwise answers with a fixed hash. */
class FlakyChain extends ChainAdapter {
  failing = false;
  calls: ChainTransfer[] = [];
  private readonly sent = new Set<string>();
  async transfer(t: ChainTransfer): Promise<{ txHash: string }> {
    this.calls.push(t);
    if (this.failing) throw new Error('node unreachable');
    this.sent.add(t.withdrawalId);
    return { txHash: `0x${'ab'.repeat(32)}` };
  }
  async statusOf(withdrawalId: string): Promise<TransferStatus> {
    return this.sent.has(withdrawalId) ? { status: 'CONFIRMED', txHash: `0x${'ab'.repeat(32)}` } : { status: 'NOT_FOUND' };
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
const as = (id: string): UseCaseContext => ({ caller: caller(id) });
/** One attempt of the `withdrawal.process` job, its last when `last` (what its processor runs; RETRY is returned, not thrown). */
const submit = (on: RewardsHarness, withdrawalId: string, last: boolean) =>
  on.core.submitWithdrawal.execute(systemContext(), { withdrawalId, attemptsMade: last ? (ProcessWithdrawal.attempts ?? 1) - 1 : 0 });
/** A `withdrawal.check` job. */
const recheck = (on: RewardsHarness, withdrawalId: string) => on.core.recheckWithdrawal.execute(systemContext(), { withdrawalId, check: 1 });

describe('withdrawals', () => {
  it('validates the request: members only, a positive amount of at most 18 decimals, an EIP-55 address, the available balance', async () => {
    const member = await addMember(h);
    await fund(h, member, '10');
    const stranger = randomUUID();
    await expect(h.requestWithdrawal.execute(as(stranger), { amount: '1', toAddress: ADDRESS })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    for (const amount of ['0', '-1', '1.0000000000000000001', 'abc']) {
      await expect(h.requestWithdrawal.execute(as(member), { amount, toAddress: ADDRESS })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { field: 'amount' },
      });
    }
    for (const address of [ADDRESS.toLowerCase(), ADDRESS.replace('aA', 'AA'), '0x1234', `0x${'0'.repeat(40)}`]) {
      await expect(h.requestWithdrawal.execute(as(member), { amount: '1', toAddress: address })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { field: 'toAddress' },
      });
    }
    await expect(h.requestWithdrawal.execute(as(member), { amount: '10.000000000000000001', toAddress: ADDRESS })).rejects.toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
    });
    await expect(h.requestWithdrawal.execute(as(member), { amount: '999999999999999999999999', toAddress: ADDRESS })).rejects.toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
    });
    expect(await walletOf(h, member)).toEqual({ balance: '10', locked: '0', available: '10' });
    expect(h.queued).toEqual([]);
  });

  it('holds the amount at request and sends it: SENT with the hash, pending -> external', async () => {
    const member = await addMember(h);
    await fund(h, member, '10');
    const w = await h.requestWithdrawal.execute(as(member), { amount: '4.5', toAddress: ADDRESS });
    expect(w).toMatchObject({ status: 'REQUESTED', amount: '4.5', toAddress: ADDRESS });
    expect(h.queued).toContain(w.id);
    expect(await walletOf(h, member)).toEqual({ balance: '5.5', locked: '0', available: '5.5' });
    expect(await balanceOf(h, SystemAccounts.withdrawalsPending.id)).toBe('4.5');

    expect(await submit(h, w.id, false)).toBe('SENT');
    expect(await submit(h, w.id, false)).toBe('SKIPPED');
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
    const w = await h.requestWithdrawal.execute(as(member), { amount: '3', toAddress: ADDRESS });
    chain.failing = true;
    expect(await submit(h, w.id, false)).toBe('RETRY');
    // The job throws for BullMQ to retry it (a transient fault is never dead-lettered).
    await expect(h.core.withdrawalProcessor.handle({ withdrawalId: w.id }, { attemptsMade: 0 })).rejects.toThrow(`withdrawal ${w.id} not sent yet; retrying`);
    expect(await walletOf(h, member)).toEqual({ balance: '0', locked: '0', available: '0' });
    expect(await submit(h, w.id, true)).toBe('FAILED');
    chain.failing = false;
    expect(await submit(h, w.id, true)).toBe('SKIPPED');
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

  it("lists withdrawals newest first, only the caller's", async () => {
    const member = await addMember(h);
    await fund(h, member, '3');
    const a = await h.requestWithdrawal.execute(as(member), { amount: '1', toAddress: ADDRESS });
    const b = await h.requestWithdrawal.execute(as(member), { amount: '1', toAddress: ADDRESS });
    expect((await h.withdrawals.mine(caller(member))).map((w) => w.id)).toEqual([b.id, a.id]);
    expect(await h.withdrawals.mine(caller(randomUUID()))).toEqual([]);
  });
});

describe('withdrawal idempotency keys', () => {
  const key = () => `key-${randomUUID()}`;
  const holds = async (member: string) => (await h.sql(`SELECT count(*)::int AS n FROM withdrawals WHERE user_id = $1`, [member]))[0].n as number;

  it('the same key twice: the same withdrawal, held once, queued again', async () => {
    const member = await addMember(h);
    await fund(h, member, '10');
    const k = key();
    const first = await h.requestWithdrawal.execute(as(member), { amount: '4', toAddress: ADDRESS, idempotencyKey: k });
    const again = await h.requestWithdrawal.execute(as(member), { amount: '4.000', toAddress: ADDRESS, idempotencyKey: k });
    expect(again.id).toBe(first.id);
    expect(h.queued.filter((id) => id === first.id)).toHaveLength(2);
    expect(await holds(member)).toBe(1);
    expect(await walletOf(h, member)).toEqual({ balance: '6', locked: '0', available: '6' });
    const requested = await h.sql(`SELECT count(*)::int AS n FROM outbox WHERE type = 'WithdrawalRequested' AND message_key = $1`, [first.id]);
    expect(requested[0].n).toBe(1);
  });

  it('concurrent requests with one key hold the amount once', async () => {
    const member = await addMember(h);
    await fund(h, member, '10');
    const k = key();
    const results = await Promise.all([1, 2, 3].map(() => h.requestWithdrawal.execute(as(member), { amount: '3', toAddress: ADDRESS, idempotencyKey: k })));
    expect(new Set(results.map((w) => w.id)).size).toBe(1);
    expect(await holds(member)).toBe(1);
    expect(await walletOf(h, member)).toEqual({ balance: '7', locked: '0', available: '7' });
  });

  it('the same key with another amount or address is a CONFLICT that holds nothing; keys are per user; malformed keys are refused', async () => {
    const member = await addMember(h);
    const other = await addMember(h);
    await fund(h, member, '10');
    await fund(h, other, '10');
    const k = key();
    await h.requestWithdrawal.execute(as(member), { amount: '2', toAddress: ADDRESS, idempotencyKey: k });
    await expect(h.requestWithdrawal.execute(as(member), { amount: '3', toAddress: ADDRESS, idempotencyKey: k })).rejects.toMatchObject({ code: 'CONFLICT' });
    const otherAddress = toChecksumAddress('0x52908400098527886e0f7030069857d2e4169ee7');
    await expect(h.requestWithdrawal.execute(as(member), { amount: '2', toAddress: otherAddress, idempotencyKey: k })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await holds(member)).toBe(1);
    expect(await walletOf(h, member)).toEqual({ balance: '8', locked: '0', available: '8' });
    // Another user's key space: the same key is a new withdrawal.
    await h.requestWithdrawal.execute(as(other), { amount: '3', toAddress: ADDRESS, idempotencyKey: k });
    expect(await walletOf(h, other)).toEqual({ balance: '7', locked: '0', available: '7' });
    for (const bad of ['short', 'has space in it', 'x'.repeat(101)]) {
      await expect(h.requestWithdrawal.execute(as(member), { amount: '1', toAddress: ADDRESS, idempotencyKey: bad })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { field: 'idempotencyKey' },
      });
    }
    await assertLedgerConsistent(h);
  });
});

describe('withdrawals on the local chain adapter: refunded only when the transfer is known not to have happened', () => {
  let local: RewardsHarness;
  const timeoutAddress = toChecksumAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1bdead');
  const unreachableAddress = toChecksumAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1bfa11');

  beforeAll(async () => {
    local = await openRewards('withdrawals-local', { env: { WITHDRAWAL_RECHECK_MS: '1000' } });
  });

  afterAll(async () => {
    await local?.close();
  });

  it('a transfer that timed out after sending is not refunded: held while PENDING, SENT once the chain confirms it', async () => {
    const member = await addMember(local);
    await fund(local, member, '5');
    const w = await local.requestWithdrawal.execute(as(member), { amount: '5', toAddress: timeoutAddress, idempotencyKey: `key-${randomUUID()}` });
    expect(await submit(local, w.id, false)).toBe('RETRY');
    // The last attempt: the chain has the transfer, still pending: nothing goes back.
    expect(await submit(local, w.id, true)).toBe('PENDING');
    expect(await walletOf(local, member)).toEqual({ balance: '0', locked: '0', available: '0' });
    expect(await balanceOf(local, SystemAccounts.withdrawalsPending.id)).toBe('5');
    expect((await local.withdrawals.mine(caller(member)))[0]).toMatchObject({ status: 'REQUESTED', txHash: null });

    expect(await recheck(local, w.id)).toBe('SENT');
    expect(await recheck(local, w.id)).toBe('SKIPPED');
    const [row] = await local.withdrawals.mine(caller(member));
    expect(row.status).toBe('SENT');
    expect(row.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await walletOf(local, member)).toEqual({ balance: '0', locked: '0', available: '0' });
    expect(await balanceOf(local, SystemAccounts.withdrawalsPending.id)).toBe('0');
    const transfers = await local.sql(`SELECT status FROM local_chain_transfers WHERE withdrawal_id = $1`, [w.id]);
    expect(transfers).toEqual([{ status: 'CONFIRMED' }]);
    await assertLedgerConsistent(local);
  });

  it('a transfer the chain never saw (NOT_FOUND) is refunded once, after the last attempt', async () => {
    const member = await addMember(local);
    await fund(local, member, '2');
    const w = await local.requestWithdrawal.execute(as(member), { amount: '2', toAddress: unreachableAddress });
    expect(await submit(local, w.id, false)).toBe('RETRY');
    expect(await walletOf(local, member)).toEqual({ balance: '0', locked: '0', available: '0' });
    expect(await submit(local, w.id, true)).toBe('FAILED');
    expect(await submit(local, w.id, true)).toBe('SKIPPED');
    expect(await recheck(local, w.id)).toBe('SKIPPED');
    expect(await walletOf(local, member)).toEqual({ balance: '2', locked: '0', available: '2' });
    const refunds = (await local.core.wallets.entries(member, 10)).edges.filter((e) => e.node.reason === 'withdrawal.failed');
    expect(refunds).toHaveLength(1);
    expect((await local.withdrawals.mine(caller(member)))[0]).toMatchObject({ status: 'FAILED', txHash: null });
    await assertLedgerConsistent(local);
  });

  it('a pending outcome schedules a delayed re-check through the queue', async () => {
    const member = await addMember(local);
    await fund(local, member, '1');
    const w = await local.requestWithdrawal.execute(as(member), { amount: '1', toAddress: timeoutAddress });
    const checks = () => local.jobs.filter((job) => job.name === CheckWithdrawal.name && job.data.withdrawalId === w.id);
    await local.core.withdrawalProcessor.handle({ withdrawalId: w.id }, { attemptsMade: 4 });
    expect(checks()).toEqual([{ name: CheckWithdrawal.name, data: { withdrawalId: w.id, check: 1 }, jobId: `check-${w.id}-1`, delay: 1000 }]);
    await local.core.withdrawalProcessor.handleCheck({ withdrawalId: w.id, check: 1 });
    expect(checks()).toHaveLength(1);
    expect((await local.withdrawals.mine(caller(member)))[0].status).toBe('SENT');
  });
});
