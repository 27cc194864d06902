import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InsufficientFundsError } from '@talent/platform';
import { MAY_GO_NEGATIVE, SYSTEM_ACCOUNTS, walletAccounts, type WalletAccounts } from './accounts';
import { fromUnits, sumUnits, toUnits } from './decimal';

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
 * Lock order, everywhere: wallet accounts (by id) before system accounts (by id); no deadlocks.
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
    const walletSide = [...new Set(input.postings.map((p) => p.accountId).filter((id) => !SYSTEM_ACCOUNT_IDS.has(id)))];
    const owners = new Map<string, string>(); // account id -> owner
    let before = new Map<string, bigint>();
    if (walletSide.length) {
      const locked: Array<{ id: string; owner_id: string }> = await tx.query(
        `SELECT id, owner_id FROM ledger_accounts
          WHERE owner_id IN (SELECT owner_id FROM ledger_accounts WHERE id = ANY($1::uuid[]))
          ORDER BY id
          FOR UPDATE`,
        [walletSide],
      );
      for (const a of locked) owners.set(a.id, a.owner_id);
      const missing = walletSide.filter((id) => !owners.has(id));
      if (missing.length) throw new Error(`ledger accounts do not exist (wallet not opened?): ${missing.join(', ')}`);
      before = await this.balancesOf(tx, [...owners.keys()]);
    }
    const delta = new Map<string, bigint>();
    for (const p of input.postings) delta.set(p.accountId, (delta.get(p.accountId) ?? 0n) + p.amount);
    for (const [accountId, change] of delta) {
      if (owners.has(accountId) && change < 0n && (before.get(accountId) ?? 0n) + change < 0n) throw new InsufficientFundsError();
    }

    const postingIds = input.postings.map(() => randomUUID());
    const after = new Map(before);
    for (const [accountId, change] of delta) if (owners.has(accountId)) after.set(accountId, (before.get(accountId) ?? 0n) + change);
    const wallets: WalletSnapshot[] = [];
    for (const owner of new Set(owners.values())) {
      const wallet = walletAccounts(owner);
      const last = input.postings.map((p, i) => ({ p, i })).filter(({ p }) => p.accountId === wallet.available || p.accountId === wallet.locked).at(-1);
      if (!last) continue;
      wallets.push({ userId: wallet.userId, available: after.get(wallet.available) ?? 0n, locked: after.get(wallet.locked) ?? 0n, entryId: postingIds[last.i] });
    }
    return { id: input.id ?? randomUUID(), input, postingIds, createdAt: new Date(), wallets };
  }

  async commit(tx: EntityManager, plan: PreparedTransaction): Promise<PostedTransaction> {
    const { input, postingIds } = plan;
    // Wallet postings first (already locked), then system postings in id order: the trigger locks them in that order.
    const order = input.postings
      .map((p, i) => ({ p, i, system: SYSTEM_ACCOUNT_IDS.has(p.accountId) }))
      .sort((a, b) => Number(a.system) - Number(b.system) || (a.system ? a.p.accountId.localeCompare(b.p.accountId) : a.i - b.i));
    const refusable = input.postings.some((p) => p.amount < 0n && SYSTEM_ACCOUNT_IDS.has(p.accountId) && !MAY_GO_NEGATIVE.has(p.accountId));
    if (refusable) await tx.query('SAVEPOINT ledger_post');
    let rows: Array<{ id: string; account_id: string; amount: string; balance_after: string }>;
    try {
      rows = await tx.query(
        `WITH t AS (
           INSERT INTO ledger_transactions (id, kind, reason, reference, idempotency_key, created_at)
           VALUES ($1, $2, $3, $4, $5, $9) RETURNING id
         )
         INSERT INTO ledger_postings (id, transaction_id, account_id, amount, balance_after, account_seq, created_at)
         SELECT p.id, t.id, p.account_id, p.amount, 0, 0, $9
           FROM t, unnest($6::uuid[], $7::uuid[], $8::numeric[]) WITH ORDINALITY AS p(id, account_id, amount, ord)
          ORDER BY p.ord
         RETURNING id, account_id, amount::text AS amount, balance_after::text AS balance_after`,
        [
          plan.id,
          input.kind,
          input.reason,
          input.reference,
          input.idempotencyKey,
          order.map(({ i }) => postingIds[i]),
          order.map(({ p }) => p.accountId),
          order.map(({ p }) => fromUnits(p.amount)),
          plan.createdAt,
        ],
      );
    } catch (error) {
      if (!isNegativeBalanceViolation(error)) throw error;
      if (refusable) await tx.query('ROLLBACK TO SAVEPOINT ledger_post');
      const refused = new InsufficientFundsError();
      refused.cause = error;
      throw refused;
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    const postings = postingIds.map((id) => {
      const row = byId.get(id)!;
      return { id, accountId: row.account_id, amount: toUnits(row.amount), balanceAfter: toUnits(row.balance_after) };
    });
    return { id: plan.id, kind: input.kind, reason: input.reason, reference: input.reference, createdAt: plan.createdAt, postings, wallets: plan.wallets };
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
