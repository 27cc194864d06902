import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { FeesConverted, TreasuryCredited } from '@talent/events';
import {
  assertSystem,
  EventPublisher,
  fromUnits,
  inUseCaseTransaction,
  parseCommand,
  ROOT_LOGGER,
  tokenAmountSchema,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { SystemAccounts } from '../ledger/accounts';
import { Ledger } from '../ledger/ledger';
import { BalanceEvents } from '../wallets/balance-events';
import { publishTreasuryBalance } from './treasury-balance';
import { buybackKey } from './treasury.service';

export type BuybackOutcome = 'CREDITED' | 'UNCHANGED' | 'NOTHING_BOUGHT';

/**
 * btrstBought as 1e-18 units. Negative, over 18 decimals or beyond NUMERIC(36,18) breaks the
 * contract ("18 decimals, rounded down"): refused for good (dead-lettered with the reason), as
 * no retry could ever apply it and guessing an amount would credit the treasury wrongly.
 */
const CreditFeeBuybackCommand = FeesConverted.schema.extend({ btrstBought: tokenAmountSchema({ zero: true }) });

/**
 * Use case (the system's, on payments' FeesConverted): payments converted platform fees into
 * BTRST on the open market; the DAO treasury is credited exactly the BTRST bought, once per
 * conversion. They come from the `market` account (existing tokens entering the ledger, not
 * minted: see migration 1736000000000).
 */
@Injectable()
export class CreditFeeBuyback implements UseCase<z.input<typeof CreditFeeBuybackCommand>, BuybackOutcome> {
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

  async execute(ctx: UseCaseContext, input: z.input<typeof CreditFeeBuybackCommand>): Promise<BuybackOutcome> {
    assertSystem(ctx, 'CreditFeeBuyback');
    const { conversionId, btrstBought: units } = parseCommand(CreditFeeBuybackCommand, input);
    if (units === 0n) {
      // Ignored, not dead-lettered: fees so small that the BTRST bought rounded down to zero are a
      // true fact of payments, not a broken message. Nothing entered the treasury, so there is
      // nothing to credit (a ledger posting is never zero) and nothing for an operator to fix.
      this.log.warn({ conversionId }, 'fee conversion bought no BTRST; nothing to credit');
      return 'NOTHING_BOUGHT';
    }
    const idempotencyKey = buybackKey(conversionId);
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
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
        { traceparent: ctx.traceparent },
      );
      await publishTreasuryBalance(this.events, tx, posted, 'FEE_CONVERSION', ctx.traceparent);
      // Like every ledger use case: announce the wallets the entry touched (a buyback touches none today).
      await this.balances.publish(tx, posted, ctx.traceparent);
      this.log.info({ conversionId, amount, entryId: treasuryEntry.id }, 'treasury credited with bought-back BTRST');
      return 'CREDITED';
    });
  }
}
