import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { ContractCompleted } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';

const RecordContractCompletedCommand = ContractCompleted.schema;

/**
 * Use case (the system's, on jobs' ContractCompleted): an ACTIVE contract of the projection becomes
 * COMPLETED. Events of one contract share a partition (keyed by contract id), so it is known by
 * now; an unknown id changes nothing.
 */
@Injectable()
export class RecordContractCompleted implements UseCase<z.input<typeof RecordContractCompletedCommand>, void> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordContractCompletedCommand>): Promise<void> {
    assertSystem(ctx, 'RecordContractCompleted');
    const { contractId, completedAt } = parseCommand(RecordContractCompletedCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, (tx) =>
      tx.query(`UPDATE contracts SET status = 'COMPLETED', ended_at = $2 WHERE id = $1 AND status = 'ACTIVE'`, [contractId, completedAt]),
    );
  }
}
