import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BalanceChanged, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { CheckpointsService } from './checkpoints.service';

/** Records a balance checkpoint for every BalanceChanged of rewards. */
@Injectable()
export class CheckpointsHandler {
  constructor(private readonly checkpoints: CheckpointsService) {}

  @OnEvent(BalanceChanged)
  async onBalanceChanged(event: EnvelopeOf<typeof BalanceChanged>, tx: EntityManager): Promise<void> {
    await this.checkpoints.record(tx, event.payload);
  }
}
