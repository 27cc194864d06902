import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DisputeResolved, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { GrantsService } from './grants.service';

/** The policy paid to majority jurors (its amount and caps live in `reward_policies`). */
export const JURY_REWARD_POLICY = 'jury.reward';

/**
 * Governance's DisputeResolved: each juror who voted with the majority earns `jury.reward`
 * from the community pool, once per (dispute, juror): reference = the dispute. Jurors in the
 * minority and jurors who did not vote are not in `majorityJurorIds` and earn nothing.
 * Members only, within the policy's caps (GrantsService decides and records refusals).
 */
@Injectable()
export class DisputeResolvedHandler {
  constructor(private readonly grants: GrantsService) {}

  @OnEvent(DisputeResolved)
  async onDisputeResolved(event: EnvelopeOf<typeof DisputeResolved>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    for (const jurorId of new Set(p.majorityJurorIds.map((id) => id.toLowerCase()))) {
      this.grants.enqueue(tx, {
        policyKey: JURY_REWARD_POLICY,
        reference: p.disputeId.toLowerCase(),
        beneficiaryId: jurorId,
        eventId: event.id,
        traceparent: event.traceparent,
        earnedAt: p.resolvedAt,
      });
    }
  }
}
