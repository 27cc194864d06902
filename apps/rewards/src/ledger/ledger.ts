import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { flushDeferred, InsufficientFundsError } from '@talent/platform';
import { MAY_GO_NEGATIVE, SYSTEM_ACCOUNTS, walletAccounts, type WalletAccounts } from './accounts';
import { fromUnits, sumUnits, toUnits } from '@talent/platform';

export type LedgerEntryKind = 'GENESIS' | 'REWARD' | 'STAKE_LOCK' | 'STAKE_RELEASE' | 'STAKE_SLASH' | 'TREASURY_BUYBACK' | 'GRANT' | 'WITHDRAWAL';

export interface PostingInput {
  accountId: string;
  /** Signed units of 1e-18: positive credits the account, negative debits it. */
  amount: bigint;
}

export interface JournalInput {
  /** Pre-chosen id (e.g. referenced by a grant row in the same transaction); random otherwise. */
  id?: string;
  kind: LedgerEntryKind;
  /** Reward policy key or operation, e.g. 'rating.five_star', 'stake.lock'. */
  reason: string;
  /** Id of the event or object that caused it. */
  reference: string;
  /** Unique across the ledger: the same operation can never be journaled twice. */
  idempotencyKey: string;
  postings: PostingInput[];
}

export interface PostedPosting {
  id: string;
  accountId: string;
  amount: bigint;
  balanceAfter: bigint;
}

export interface WalletSnapshot {
  userId: string;
  available: bigint;
  locked: bigint;
  /** The last posting of this journal transaction on the wallet. */
  entryId: string;
}

export interface PostedTransaction {
  id: string;
  kind: LedgerEntryKind;
  reason: string;
  reference: string;
  createdAt: Date;
  postings: PostedPosting[];
  /** Every user wallet the transaction touched, as it stands after it. */
  wallets: WalletSnapshot[];
}

/** Wallet accounts locked by this transaction (account id -> owner, balance as planned so far). */
export type LockedAccounts = Map<string, { ownerId: string; balance: bigint }>;

/** A journal transaction whose wallet side is locked and checked, ready to be appended by `commit`. */
export interface PreparedTransaction {
  id: string;
  input: JournalInput;
  postingIds: string[];
  createdAt: Date;
  /** The wallets it touches, as they will stand after it (their accounts stay locked until commit). */
  wallets: WalletSnapshot[];
}

const SYSTEM_ACCOUNT_IDS = new Set(SYSTEM_ACCOUNTS.map((a) => a.id));

/** The PostgreSQL error the posting trigger raises when an account would go below zero. */
const isNegativeBalanceViolation = (error: unknown): boolean => {
  const e = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  return e?.code === '23514' && e.constraint === 'ledger_postings_non_negative';
};

/**
 * The one class that moves BTRST. Every movement is a balanced journal transaction of
 * postings, appended inside the caller's database transaction, in two steps:
 *
 * `prepare`: the wallets involved (both accounts of each, so that BalanceChanged reads a
 * consistent pair) are locked FOR UPDATE in one statement in id order, their balances read,
 * and every wallet debit checked: INSUFFICIENT_FUNDS is thrown before anything is written,
 * so the caller's transaction stays usable (a stake can be refused instead).
 *
 * `commit`: the journal transaction and its postings are inserted. The database trigger locks
 * each account, computes its `balance_after` under that lock and refuses a negative one, so the
 * shared system accounts (the community pool above all) are locked only for this last
 * statement and the commit; a refusal there is rolled back to a savepoint and thrown as
 * INSUFFICIENT_FUNDS. A deferred trigger refuses an unbalanced transaction at commit.
 *
 * Many at once (the reward grants of a consumed batch): `lockWallets` locks every wallet in one
 * statement, `plan` plans each transaction in memory, `commitMany` appends them all in one
 * statement, so a batch holds the community pool for one statement and its commit, however
 * many grants it pays (TigerBeetle's answer to a hot account: amortise it over a batch).
 *
 * Lock order, everywhere: wallet accounts (by id) before system accounts (by id); no deadlocks
 * within one journal transaction. A consumer batch applying several events may lock wallets in
 * event order; should two batches deadlock, PostgreSQL aborts one, and it is applied again
 * event by event (a transient failure).
 */
@Injectable()
export class Ledger {
  /** Opens the two accounts of a member's wallet (idempotent). */
  async openWallet(tx: EntityManager, userId: string): Promise<WalletAccounts> {
    const wallet = walletAccounts(userId);
    await tx.query(
      `INSERT INTO ledger_accounts (id, code, kind, owner_id) VALUES
         ($1, 'user:' || $3 || ':available', 'USER_AVAILABLE', $3::uuid),
         ($2, 'user:' || $3 || ':locked', 'USER_LOCKED', $3::uuid)
       ON CONFLICT DO NOTHING`,
      [wallet.available, wallet.locked, wallet.userId],
    );
    return wallet;
  }

  /** prepare + commit, for callers with nothing to do in between. */
  async post(tx: EntityManager, input: JournalInput): Promise<PostedTransaction> {
    return this.commit(tx, await this.prepare(tx, input));
  }

  async prepare(tx: EntityManager, input: JournalInput): Promise<PreparedTransaction> {
    assertBalanced(input);
    // Grants deferred to the end of this transaction move wallets too: apply them first, in order.
    await flushDeferred(tx);
    const walletSide = [...new Set(input.postings.map((p) => p.accountId).filter((id) => !SYSTEM_ACCOUNT_IDS.has(id)))];
    const accounts: LockedAccounts = new Map();
    if (walletSide.length) {
      const locked: Array<{ id: string; owner_id: string }> = await tx.query(
        `SELECT id, owner_id FROM ledger_accounts
          WHERE owner_id IN (SELECT owner_id FROM ledger_accounts WHERE id = ANY($1::uuid[]))
          ORDER BY id
          FOR UPDATE`,
        [walletSide],
      );
      const missing = walletSide.filter((id) => !locked.some((a) => a.id === id));
      if (missing.length) throw new Error(`ledger accounts do not exist (wallet not opened?): ${missing.join(', ')}`);
      const balances = await this.balancesOf(
        tx,
        locked.map((a) => a.id),
      );
      for (const a of locked) accounts.set(a.id, { ownerId: a.owner_id, balance: balances.get(a.id) ?? 0n });
    }
    return this.plan(input, accounts);
  }

  /**
   * Locks the wallets of many users at once (both accounts of each, in id order, as `prepare`
   * does) and reads their balances, in one statement: for a caller that plans many journal
   * transactions on them with `plan` and appends them with `commitMany`. Users without a wallet
   * have no accounts in the result.
   */
  async lockWallets(tx: EntityManager, userIds: readonly string[]): Promise<LockedAccounts> {
    if (userIds.length === 0) return new Map();
    // By primary key: a wallet's account ids derive from its owner's id.
    const ids = [...new Set(userIds.map((id) => id.toLowerCase()))].flatMap((id) => {
      const wallet = walletAccounts(id);
      return [wallet.available, wallet.locked];
    });
    const rows: Array<{ id: string; owner_id: string; balance: string }> = await tx.query(
      `WITH locked AS (
         SELECT id, owner_id FROM ledger_accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE
       )
       SELECT l.id, l.owner_id,
              COALESCE((SELECT p.balance_after FROM ledger_postings p WHERE p.account_id = l.id ORDER BY p.account_seq DESC LIMIT 1), 0)::text AS balance
         FROM locked l`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { ownerId: r.owner_id, balance: toUnits(r.balance) }]));
  }

  /**
   * Plans a journal transaction on wallets already locked (`accounts`, from `lockWallets` or
   * `prepare`): checks every wallet debit (INSUFFICIENT_FUNDS before anything is written) and
   * moves the accounts' balances to what they will be after it, so that the next plan of the
   * same batch starts from there.
   */
  plan(input: JournalInput, accounts: LockedAccounts): PreparedTransaction {
    assertBalanced(input);
    const delta = new Map<string, bigint>();
    for (const p of input.postings) delta.set(p.accountId, (delta.get(p.accountId) ?? 0n) + p.amount);
    for (const [accountId, change] of delta) {
      if (SYSTEM_ACCOUNT_IDS.has(accountId)) continue;
      const account = accounts.get(accountId);
      if (!account) throw new Error(`ledger account does not exist or is not locked (wallet not opened?): ${accountId}`);
      if (change < 0n && account.balance + change < 0n) throw new InsufficientFundsError();
    }
    for (const [accountId, change] of delta) {
      const account = accounts.get(accountId);
      if (account) account.balance += change;
    }

    const postingIds = input.postings.map(() => randomUUID());
    const wallets: WalletSnapshot[] = [];
    const owners = new Set(input.postings.filter((p) => !SYSTEM_ACCOUNT_IDS.has(p.accountId)).map((p) => accounts.get(p.accountId)!.ownerId));
    for (const owner of owners) {
      const wallet = walletAccounts(owner);
      const last = input.postings
        .map((p, i) => ({ p, i }))
        .filter(({ p }) => p.accountId === wallet.available || p.accountId === wallet.locked)
        .at(-1);
      if (!last) continue;
      const balance = (id: string) => accounts.get(id)?.balance ?? 0n;
      wallets.push({ userId: wallet.userId, available: balance(wallet.available), locked: balance(wallet.locked), entryId: postingIds[last.i] });
    }
    return { id: input.id ?? randomUUID(), input, postingIds, createdAt: new Date(), wallets };
  }

  async commit(tx: EntityManager, plan: PreparedTransaction): Promise<PostedTransaction> {
    return (await this.commitMany(tx, [plan]))[0];
  }

  /**
   * Appends prepared journal transactions in one statement, in the order given. The wallet
   * postings of all of them come first (their wallets already locked), then all the system
   * postings, by account id: the trigger locks accounts in that order, so a batch takes the shared
   * system accounts (the community pool) only for the last rows of its last statement. Each
   * account's postings keep the order of the transactions, so its balance chain follows them.
   * If any system account would go below zero, nothing is appended (rolled back to a savepoint)
   * and INSUFFICIENT_FUNDS is thrown. A caller that took a savepoint of its own passes
   * `savepoint: false` (one round trip less) and rolls back to its own.
   */
  async commitMany(tx: EntityManager, plans: readonly PreparedTransaction[], options: { savepoint?: boolean } = {}): Promise<PostedTransaction[]> {
    if (plans.length === 0) return [];
    const rows = plans
      .flatMap((plan) => plan.input.postings.map((p, i) => ({ plan, id: plan.postingIds[i], p, system: SYSTEM_ACCOUNT_IDS.has(p.accountId) })))
      // A stable sort: within each group, and for each account, the order of the transactions.
      .sort((a, b) => Number(a.system) - Number(b.system) || (a.system ? a.p.accountId.localeCompare(b.p.accountId) : 0));
    const refusable = rows.some(({ p }) => p.amount < 0n && SYSTEM_ACCOUNT_IDS.has(p.accountId) && !MAY_GO_NEGATIVE.has(p.accountId));
    const savepoint = refusable && (options.savepoint ?? true);
    if (savepoint) await tx.query('SAVEPOINT ledger_post');
    let posted: Array<{ id: string; account_id: string; amount: string; balance_after: string }>;
    try {
      posted = await tx.query(
        `WITH t AS (
           INSERT INTO ledger_transactions (id, kind, reason, reference, idempotency_key, created_at)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
           RETURNING id
         )
         INSERT INTO ledger_postings (id, transaction_id, account_id, amount, balance_after, account_seq, created_at)
         SELECT p.id, p.transaction_id, p.account_id, p.amount, 0, 0, p.created_at
           FROM unnest($7::uuid[], $8::uuid[], $9::uuid[], $10::numeric[], $11::timestamptz[]) WITH ORDINALITY AS p(id, transaction_id, account_id, amount, created_at, ord)
          ORDER BY p.ord
         RETURNING id, account_id, amount::text AS amount, balance_after::text AS balance_after`,
        [
          plans.map((plan) => plan.id),
          plans.map((plan) => plan.input.kind),
          plans.map((plan) => plan.input.reason),
          plans.map((plan) => plan.input.reference),
          plans.map((plan) => plan.input.idempotencyKey),
          plans.map((plan) => plan.createdAt),
          rows.map((r) => r.id),
          rows.map((r) => r.plan.id),
          rows.map((r) => r.p.accountId),
          rows.map((r) => fromUnits(r.p.amount)),
          rows.map((r) => r.plan.createdAt),
        ],
      );
    } catch (error) {
      if (!isNegativeBalanceViolation(error)) throw error;
      if (savepoint) await tx.query('ROLLBACK TO SAVEPOINT ledger_post');
      const refused = new InsufficientFundsError();
      refused.cause = error;
      throw refused;
    }
    const byId = new Map(posted.map((r) => [r.id, r]));
    return plans.map((plan) => ({
      id: plan.id,
      kind: plan.input.kind,
      reason: plan.input.reason,
      reference: plan.input.reference,
      createdAt: plan.createdAt,
      postings: plan.postingIds.map((id) => {
        const row = byId.get(id)!;
        return { id, accountId: row.account_id, amount: toUnits(row.amount), balanceAfter: toUnits(row.balance_after) };
      }),
      wallets: plan.wallets,
    }));
  }

  /** Latest balances of accounts (0 for an account without postings). Lock them first for a decision. */
  async balancesOf(tx: EntityManager, accountIds: readonly string[]): Promise<Map<string, bigint>> {
    if (accountIds.length === 0) return new Map();
    const rows: Array<{ id: string; balance: string }> = await tx.query(
      `SELECT a.id,
              COALESCE((SELECT p.balance_after FROM ledger_postings p WHERE p.account_id = a.id ORDER BY p.account_seq DESC LIMIT 1), 0)::text AS balance
         FROM unnest($1::uuid[]) AS a(id)`,
      [accountIds],
    );
    return new Map(rows.map((r) => [r.id, toUnits(r.balance)]));
  }

  async balanceOf(tx: EntityManager, accountId: string): Promise<bigint> {
    return (await this.balancesOf(tx, [accountId])).get(accountId) ?? 0n;
  }

  async journalExists(tx: EntityManager, idempotencyKey: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM ledger_transactions WHERE idempotency_key = $1`, [idempotencyKey]);
    return rows.length > 0;
  }
}

function assertBalanced(input: JournalInput): void {
  if (input.postings.length < 2) throw new Error(`ledger transaction ${input.kind} needs at least two postings`);
  if (input.postings.some((p) => p.amount === 0n)) throw new Error(`ledger transaction ${input.kind} has a zero posting`);
  if (sumUnits(input.postings.map((p) => p.amount)) !== 0n) throw new Error(`ledger transaction ${input.kind} does not sum to zero`);
}
