import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TreasuryBalanceChanged, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordTreasuryBalance } from './record-treasury-balance';

/** Feeds the treasury balance projection from rewards' TreasuryBalanceChanged, in the inbox transaction. */
@Injectable()
export class TreasuryHandler {
  constructor(private readonly recordBalance: RecordTreasuryBalance) {}

  @OnEvent(TreasuryBalanceChanged)
  async onTreasuryBalanceChanged(event: EnvelopeOf<typeof TreasuryBalanceChanged>, tx: EntityManager): Promise<void> {
    await this.recordBalance.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}
