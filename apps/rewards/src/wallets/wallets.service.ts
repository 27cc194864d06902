import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BadUserInputError, decodeCursor, encodeCursor } from '@talent/platform';
import type { GrantRefusal } from '../grants/grant.entity';
import { walletAccounts } from '../ledger/accounts';
import { canonicalTokens, fromUnits } from '@talent/platform';
import { Ledger, type LedgerEntryKind } from '../ledger/ledger';

export interface WalletBalances {
  balance: string;
  locked: string;
  available: string;
}

export interface WalletEntry {
  id: string;
  kind: LedgerEntryKind;
  amount: string;
  reason: string;
  reference: string;
  createdAt: Date;
}

export interface RewardDecision {
  id: string;
  policy: string;
  reference: string;
  sourceId: string | null;
  status: 'PAID' | 'REFUSED';
  amount: string | null;
  refusalReason: GrantRefusal | null;
  earnedAt: Date;
  createdAt: Date;
}

export interface EntryPage {
  edges: Array<{ cursor: string; node: WalletEntry }>;
  hasNextPage: boolean;
}

/**
 * A user's wallet, read from the ledger: the available and locked accounts' latest
 * balances, and their postings as entries (a stake lock or release shows both legs;
 * the entries always add up to the balance).
 */
@Injectable()
export class WalletsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
  ) {}

  async balances(userId: string): Promise<WalletBalances> {
    return (await this.balancesOfUsers([userId])).get(userId.toLowerCase()) as WalletBalances;
  }

  /** The wallets of many users (keyed by lower-case id) in one ledger read: a list of users costs one query. */
  async balancesOfUsers(userIds: readonly string[]): Promise<Map<string, WalletBalances>> {
    const wallets = userIds.map(walletAccounts);
    const balances = await this.ledger.balancesOf(
      this.dataSource.manager,
      wallets.flatMap((w) => [w.available, w.locked]),
    );
    return new Map(
      wallets.map((wallet) => {
        const available = balances.get(wallet.available) ?? 0n;
        const locked = balances.get(wallet.locked) ?? 0n;
        return [wallet.userId, { balance: fromUnits(available + locked), locked: fromUnits(locked), available: fromUnits(available) }];
      }),
    );
  }

  /** The user's reward decisions, paid and refused, newest first. */
  async rewards(userId: string, first: number): Promise<RewardDecision[]> {
    const rows: Array<{
      id: string;
      policy_key: string;
      reference: string;
      source_id: string | null;
      status: 'PAID' | 'REFUSED';
      amount: string | null;
      refusal_reason: GrantRefusal | null;
      earned_at: Date;
      created_at: Date;
    }> = await this.dataSource.query(
      `SELECT id, policy_key, reference, source_id, status, amount::text AS amount, refusal_reason, earned_at, created_at
           FROM reward_grants WHERE beneficiary_id = $1
          ORDER BY created_at DESC, id DESC LIMIT $2`,
      [userId.toLowerCase(), first],
    );
    return rows.map((r) => ({
      id: r.id,
      policy: r.policy_key,
      reference: r.reference,
      sourceId: r.source_id,
      status: r.status,
      amount: r.amount === null ? null : canonicalTokens(r.amount),
      refusalReason: r.refusal_reason,
      earnedAt: r.earned_at,
      createdAt: r.created_at,
    }));
  }

  /** Newest first, keyset-paginated on the postings' global sequence. */
  async entries(userId: string, first: number, after?: string | null): Promise<EntryPage> {
    const wallet = walletAccounts(userId);
    let before: string | null = null;
    if (after) {
      const [seq] = decodeCursor(after, 1);
      if (typeof seq !== 'string' || !/^\d{1,18}$/.test(seq)) throw new BadUserInputError('Invalid cursor', 'after');
      before = String(seq);
    }
    const rows: Array<{ id: string; seq: string; amount: string; kind: LedgerEntryKind; reason: string; reference: string; created_at: Date }> =
      await this.dataSource.query(
        `SELECT p.id, p.seq::text AS seq, p.amount::text AS amount, t.kind, t.reason, t.reference, p.created_at
           FROM ledger_postings p
           JOIN ledger_transactions t ON t.id = p.transaction_id
          WHERE p.account_id = ANY($1::uuid[]) AND ($2::bigint IS NULL OR p.seq < $2::bigint)
          ORDER BY p.seq DESC
          LIMIT $3`,
        [[wallet.available, wallet.locked], before, first + 1],
      );
    return {
      edges: rows.slice(0, first).map((r) => ({
        cursor: encodeCursor([r.seq]),
        node: { id: r.id, kind: r.kind, amount: canonicalTokens(r.amount), reason: r.reason, reference: r.reference, createdAt: r.created_at },
      })),
      hasNextPage: rows.length > first,
    };
  }
}
