import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TreasuryBalanceChanged, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { TreasuryBalanceService } from './treasury-balance.service';

/** Feeds the treasury balance projection from rewards' TreasuryBalanceChanged. */
@Injectable()
export class TreasuryHandler {
  constructor(private readonly treasury: TreasuryBalanceService) {}

  @OnEvent(TreasuryBalanceChanged)
  async onTreasuryBalanceChanged(event: EnvelopeOf<typeof TreasuryBalanceChanged>, tx: EntityManager): Promise<void> {
    await this.treasury.record(tx, event.payload);
  }
}
