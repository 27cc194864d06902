import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { TreasuryCredited, type FeesConverted, type PayloadOf } from '@talent/events';
import { BadUserInputError, EventPublisher, ROOT_LOGGER } from '@talent/platform';
import { SystemAccounts } from '../ledger/accounts';
import { fromUnits, MAX_UNITS, toUnits } from '@talent/platform';
import { Ledger } from '../ledger/ledger';
import { BalanceEvents } from '../wallets/balance-events';
import { publishTreasuryBalance } from './treasury-balance';

export type BuybackOutcome = 'CREDITED' | 'UNCHANGED' | 'NOTHING_BOUGHT';

export interface TreasuryCredit {
  /** The treasury's posting of the buyback entry. */
  entryId: string;
  amount: string;
  creditedAt: Date;
}

/** Ledger idempotency key of a conversion's buyback: one credit per conversion, whatever event carries it. */
export const buybackKey = (conversionId: string): string => `treasury.buyback:${conversionId.toLowerCase()}`;

/**
 * Fee buybacks: payments converted platform fees into BTRST on the open market (FeesConverted);
 * the DAO treasury is credited exactly the BTRST bought, once per conversion. They come from the
 * `market` account (existing tokens entering the ledger, not minted: see migration 1736000000000).
 */
@Injectable()
export class TreasuryService {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    private readonly balances: BalanceEvents,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'treasury' });
  }

  async creditBuyback(tx: EntityManager, conversion: PayloadOf<typeof FeesConverted>, traceparent?: string): Promise<BuybackOutcome> {
    const { conversionId, btrstBought } = conversion;
    const units = this.boughtUnits(btrstBought);
    if (units === 0n) {
      // Ignored, not dead-lettered: fees so small that the BTRST bought rounded down to zero are a
      // true fact of payments, not a broken message. Nothing entered the treasury, so there is
      // nothing to credit (a ledger posting is never zero) and nothing for an operator to fix.
      this.log.warn({ conversionId }, 'fee conversion bought no BTRST; nothing to credit');
      return 'NOTHING_BOUGHT';
    }
    const idempotencyKey = buybackKey(conversionId);
    // A replay by payments (a new event id, the same conversion): the inbox does not stop it, the key does.
    // Two copies at once cannot both pass: the key's unique index refuses the second, which is retried and lands here.
    if (await this.ledger.journalExists(tx, idempotencyKey)) return 'UNCHANGED';

    const posted = await this.ledger.post(tx, {
      kind: 'TREASURY_BUYBACK',
      reason: 'treasury.buyback',
      reference: conversionId,
      idempotencyKey,
      postings: [
        { accountId: SystemAccounts.market.id, amount: -units },
        { accountId: SystemAccounts.treasury.id, amount: units },
      ],
    });
    const amount = fromUnits(units);
    const treasuryEntry = posted.postings.find((p) => p.accountId === SystemAccounts.treasury.id)!;
    await this.events.publish(
      tx,
      TreasuryCredited,
      { entryId: treasuryEntry.id, amount, source: 'FEE_CONVERSION', reference: conversionId, creditedAt: posted.createdAt.toISOString() },
      { traceparent },
    );
    await publishTreasuryBalance(this.events, tx, posted, 'FEE_CONVERSION', traceparent);
    // Like every ledger use case: announce the wallets the entry touched (a buyback touches none today).
    await this.balances.publish(tx, posted, traceparent);
    this.log.info({ conversionId, amount, entryId: treasuryEntry.id }, 'treasury credited with bought-back BTRST');
    return 'CREDITED';
  }

  /** The treasury's credit for a conversion, if it was credited (for `FeeConversion.treasuryCredit`); a read outside any transaction. */
  async creditFor(conversionId: string): Promise<TreasuryCredit | null> {
    const rows: Array<{ id: string; amount: string; created_at: Date }> = await this.dataSource.query(
      `SELECT p.id, p.amount::text AS amount, t.created_at
         FROM ledger_transactions t
         JOIN ledger_postings p ON p.transaction_id = t.id AND p.account_id = $2
        WHERE t.idempotency_key = $1 AND t.kind = 'TREASURY_BUYBACK'`,
      [buybackKey(conversionId), SystemAccounts.treasury.id],
    );
    const row = rows[0];
    return row ? { entryId: row.id, amount: fromUnits(toUnits(row.amount)), creditedAt: row.created_at } : null;
  }

  /**
   * btrstBought as 1e-18 units. Negative, over 18 decimals or beyond NUMERIC(36,18) breaks the
   * contract ("18 decimals, rounded down"): refused for good (dead-lettered with the reason), as
   * no retry could ever apply it and guessing an amount would credit the treasury wrongly.
   */
  private boughtUnits(btrstBought: string): bigint {
    let units: bigint;
    try {
      units = toUnits(btrstBought);
    } catch (error) {
      const refused = new BadUserInputError(`btrstBought "${btrstBought}" is not a BTRST amount (at most 18 decimals)`, 'btrstBought');
      refused.cause = error;
      throw refused;
    }
    if (units < 0n || units > MAX_UNITS) throw new BadUserInputError(`btrstBought "${btrstBought}" is out of range`, 'btrstBought');
    return units;
  }
}
