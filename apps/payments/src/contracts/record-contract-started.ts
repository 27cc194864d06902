import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { ContractStarted } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';

const RecordContractStartedCommand = ContractStarted.schema;

/** Use case (the system's, on jobs' ContractStarted): the contract joins the `contracts` projection, ACTIVE; once only. */
@Injectable()
export class RecordContractStarted implements UseCase<z.input<typeof RecordContractStartedCommand>, void> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordContractStartedCommand>): Promise<void> {
    assertSystem(ctx, 'RecordContractStarted');
    const p = parseCommand(RecordContractStartedCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, (tx) =>
      tx.query(
        `INSERT INTO contracts (id, talent_id, client_id, rate, rate_unit, currency, status, started_at, job_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'ACTIVE', $7, $8)
         ON CONFLICT (id) DO NOTHING`,
        [p.contractId, p.talentId, p.clientId, p.rate.amount, p.unit, p.rate.currency, p.startedAt, p.jobId],
      ),
    );
  }
}
