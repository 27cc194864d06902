import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { DisputeResolved } from '@talent/events';
import { EventPublisher, ROOT_LOGGER } from '@talent/platform';
import type { DisputeRecord } from './dispute.records';
import type { Verdict } from './tally';

/**
 * A step of the use cases that end a dispute (CastJuryVote, ApplyJuryDeadline), not a use case of its own: records a verdict (RESOLVED, outcome, resolved_at) and publishes DisputeResolved in the
 * caller's transaction, under the dispute's row lock: payments releases or voids the disputed
 * invoices, rewards pays `jury.reward` to the majority jurors.
 */
@Injectable()
export class DisputeVerdict {
  private readonly log: Logger;

  constructor(
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'disputes' });
  }

  async record(tx: EntityManager, dispute: DisputeRecord, verdict: Verdict, now: Date, traceparent?: string): Promise<void> {
    await tx.query(`UPDATE disputes SET status = 'RESOLVED', outcome = $2, resolved_at = $3 WHERE id = $1 AND status <> 'RESOLVED'`, [
      dispute.id,
      verdict.decision,
      now,
    ]);
    await this.events.publish(
      tx,
      DisputeResolved,
      {
        disputeId: dispute.id,
        contractId: dispute.contractId,
        decision: verdict.decision,
        majorityJurorIds: verdict.majorityJurorIds,
        resolvedAt: now.toISOString(),
      },
      { traceparent },
    );
    // Never the reason: it stays in the disputes table.
    this.log.info(
      { disputeId: dispute.id, contractId: dispute.contractId, decision: verdict.decision, majority: verdict.majorityJurorIds.length },
      'dispute resolved',
    );
  }
}
