import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContractCompleted, ContractStarted, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';

/**
 * The parties of each contract, from jobs' events (governance never reads jobs' database):
 * who may open a dispute, and who may not sit on its jury. Idempotent (inbox, ON CONFLICT,
 * status guard).
 */
@Injectable()
export class GovernanceContractsHandler {
  @OnEvent(ContractStarted)
  async onContractStarted(event: EnvelopeOf<typeof ContractStarted>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await tx.query(
      `INSERT INTO contracts (id, talent_id, client_id, status, started_at) VALUES ($1, $2, $3, 'ACTIVE', $4)
       ON CONFLICT (id) DO NOTHING`,
      [p.contractId.toLowerCase(), p.talentId.toLowerCase(), p.clientId.toLowerCase(), p.startedAt],
    );
  }

  /** One contract's events share a partition (keyed by contract id), so it is known by now; an unknown id changes nothing. */
  @OnEvent(ContractCompleted)
  async onContractCompleted(event: EnvelopeOf<typeof ContractCompleted>, tx: EntityManager): Promise<void> {
    await tx.query(`UPDATE contracts SET status = 'COMPLETED', completed_at = $2 WHERE id = $1 AND status = 'ACTIVE'`, [
      event.payload.contractId.toLowerCase(),
      event.payload.completedAt,
    ]);
  }
}
