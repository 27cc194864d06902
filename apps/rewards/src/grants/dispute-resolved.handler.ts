import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DisputeResolved, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { EarnJuryRewards } from './earn-jury-rewards';

/** Governance's DisputeResolved: the majority jurors' rewards, in the inbox transaction. */
@Injectable()
export class DisputeResolvedHandler {
  constructor(private readonly earnJuryRewards: EarnJuryRewards) {}

  @OnEvent(DisputeResolved)
  async onDisputeResolved(event: EnvelopeOf<typeof DisputeResolved>, tx: EntityManager): Promise<void> {
    await this.earnJuryRewards.execute(systemContext({ tx, traceparent: event.traceparent }), { ...event.payload, eventId: event.id });
  }
}
