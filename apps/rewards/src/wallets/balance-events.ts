import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BalanceChanged, type PayloadOf } from '@talent/events';
import { activeTraceparent, EventPublisher } from '@talent/platform';
import { fromUnits } from '@talent/platform';
import type { WalletSnapshot } from '../ledger/ledger';

/** The BalanceChanged payloads of a journal transaction: one per user wallet it touched, as it stands after it. */
export function balanceChanges(posted: { wallets: WalletSnapshot[]; createdAt: Date }): Array<PayloadOf<typeof BalanceChanged>> {
  return posted.wallets.map((wallet) => ({
    userId: wallet.userId,
    balance: fromUnits(wallet.available + wallet.locked),
    locked: fromUnits(wallet.locked),
    entryId: wallet.entryId,
    changedAt: posted.createdAt.toISOString(),
  }));
}

/**
 * Announces every change of a user's wallet (BalanceChanged: balance = available + locked),
 * in the transaction that made it. The wallet's accounts are locked by the ledger until
 * commit, so one user's events leave in the order of their changes.
 */
@Injectable()
export class BalanceEvents {
  constructor(private readonly events: EventPublisher) {}

  async publish(tx: EntityManager, posted: { wallets: WalletSnapshot[]; createdAt: Date }, traceparent?: string): Promise<void> {
    const parent = activeTraceparent() ?? traceparent;
    await this.events.publishMany(
      tx,
      balanceChanges(posted).map((payload) => ({ definition: BalanceChanged, payload, traceparent: parent })),
    );
  }
}
