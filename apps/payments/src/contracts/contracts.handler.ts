import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContractCompleted, ContractStarted, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';

/**
 * Consumes jobs.events.v1 into the `contracts` projection. Runs inside the inbox transaction:
 * a redelivered event changes nothing (the inbox, plus ON CONFLICT / status guards).
 */
@Injectable()
export class ContractsHandler {
  @OnEvent(ContractStarted)
  async onContractStarted(event: EnvelopeOf<typeof ContractStarted>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await tx.query(
      `INSERT INTO contracts (id, talent_id, client_id, rate, rate_unit, currency, status, started_at, job_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'ACTIVE', $7, $8)
       ON CONFLICT (id) DO NOTHING`,
      [p.contractId, p.talentId, p.clientId, p.rate.amount, p.unit, p.rate.currency, p.startedAt, p.jobId],
    );
  }

  /** Events of one contract share a partition (keyed by contract id), so it is known by now; an unknown id changes nothing. */
  @OnEvent(ContractCompleted)
  async onContractCompleted(event: EnvelopeOf<typeof ContractCompleted>, tx: EntityManager): Promise<void> {
    await tx.query(`UPDATE contracts SET status = 'COMPLETED', ended_at = $2 WHERE id = $1 AND status = 'ACTIVE'`, [
      event.payload.contractId,
      event.payload.completedAt,
    ]);
  }
}
