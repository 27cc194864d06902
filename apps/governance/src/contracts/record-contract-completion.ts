import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { ContractCompleted } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';

const RecordContractCompletionCommand = ContractCompleted.schema.pick({ contractId: true, completedAt: true });

/**
 * Use case (the system's, on jobs' ContractCompleted): an ACTIVE contract becomes COMPLETED. One
 * contract's events share a partition (keyed by contract id), so it is known by now; an unknown id changes nothing.
 */
@Injectable()
export class RecordContractCompletion implements UseCase<z.input<typeof RecordContractCompletionCommand>, void> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordContractCompletionCommand>): Promise<void> {
    assertSystem(ctx, 'RecordContractCompletion');
    const { contractId, completedAt } = parseCommand(RecordContractCompletionCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, (tx) =>
      tx.query(`UPDATE contracts SET status = 'COMPLETED', completed_at = $2 WHERE id = $1 AND status = 'ACTIVE'`, [contractId.toLowerCase(), completedAt]),
    );
  }
}
