import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { ContractStarted } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';

const RecordContractStartCommand = ContractStarted.schema.pick({ contractId: true, talentId: true, clientId: true, startedAt: true });

/**
 * Use case (the system's, on jobs' ContractStarted): the contract's parties, who may open a
 * dispute on it and may not sit on its jury (governance never reads jobs' database). Recorded once.
 */
@Injectable()
export class RecordContractStart implements UseCase<z.input<typeof RecordContractStartCommand>, void> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordContractStartCommand>): Promise<void> {
    assertSystem(ctx, 'RecordContractStart');
    const p = parseCommand(RecordContractStartCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, (tx) =>
      tx.query(
        `INSERT INTO contracts (id, talent_id, client_id, status, started_at) VALUES ($1, $2, $3, 'ACTIVE', $4)
         ON CONFLICT (id) DO NOTHING`,
        [p.contractId.toLowerCase(), p.talentId.toLowerCase(), p.clientId.toLowerCase(), p.startedAt],
      ),
    );
  }
}
