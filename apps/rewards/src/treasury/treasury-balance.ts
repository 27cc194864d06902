import type { EntityManager } from 'typeorm';
import { TreasuryBalanceChanged, type PayloadOf } from '@talent/events';
import type { EventPublisher } from '@talent/platform';
import { SystemAccounts } from '../ledger/accounts';
import { fromUnits, sumUnits } from '@talent/platform';
import type { PostedTransaction } from '../ledger/ledger';

export type TreasuryChangeReason = PayloadOf<typeof TreasuryBalanceChanged>['reason'];

/**
 * Announces the DAO treasury's balance after a ledger entry that moved it (a slashed stake, a
 * fee buyback, a grant paid), in the transaction that posted it: governance keeps the latest
 * to refuse GRANT proposals larger than the treasury. The balance is the treasury posting's
 * `balance_after`, computed by the ledger under the account's lock, never re-read.
 * `changedAt` is the entry's time, made strictly increasing in the treasury's ledger order
 * (max(entry time, previous + 1 ms)): the treasury stays locked by the posting until commit, so
 * announcements are made one after the other in that order, and governance, keeping the latest
 * by `changedAt`, can neither keep an older balance nor drop one that shares a millisecond.
 * A function on the caller's publisher, so that every use case moving the treasury calls it
 * without a new dependency.
 */
export async function publishTreasuryBalance(
  events: EventPublisher,
  tx: EntityManager,
  posted: PostedTransaction,
  reason: TreasuryChangeReason,
  traceparent?: string,
): Promise<void> {
  const postings = posted.postings.filter((p) => p.accountId === SystemAccounts.treasury.id);
  const last = postings.at(-1);
  if (!last) throw new Error(`ledger transaction ${posted.id} (${posted.kind}) does not move the treasury`);
  const [announced]: Array<{ changed_at: Date }> = await tx.query(
    `INSERT INTO treasury_balance_announced (id, entry_id, changed_at) VALUES (1, $1, $2)
     ON CONFLICT (id) DO UPDATE SET entry_id = EXCLUDED.entry_id,
       changed_at = GREATEST(EXCLUDED.changed_at, treasury_balance_announced.changed_at + interval '1 millisecond')
     RETURNING changed_at`,
    [last.id, posted.createdAt],
  );
  await events.publish(
    tx,
    TreasuryBalanceChanged,
    {
      entryId: last.id,
      balance: fromUnits(last.balanceAfter),
      delta: fromUnits(sumUnits(postings.map((p) => p.amount))),
      reason,
      changedAt: announced.changed_at.toISOString(),
    },
    { traceparent },
  );
}
