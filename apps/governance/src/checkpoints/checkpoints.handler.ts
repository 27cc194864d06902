import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BalanceChanged, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordBalanceCheckpoint } from './record-balance-checkpoint';

/** Records a balance checkpoint for every BalanceChanged of rewards, in the inbox transaction. */
@Injectable()
export class CheckpointsHandler {
  constructor(private readonly recordCheckpoint: RecordBalanceCheckpoint) {}

  @OnEvent(BalanceChanged)
  async onBalanceChanged(event: EnvelopeOf<typeof BalanceChanged>, tx: EntityManager): Promise<void> {
    await this.recordCheckpoint.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}
