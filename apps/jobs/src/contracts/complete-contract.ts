import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ContractCompleted } from '@talent/events';
import {
  callerOf,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inUseCaseTransaction,
  isUuid,
  NotFoundError,
  parseCommand,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { ContractRecord } from './contract.entity';

const CompleteContractCommand = z.object({ contractId: z.string() });

/** Use case: the contract's client marks an active contract completed. */
@Injectable()
export class CompleteContract implements UseCase<z.input<typeof CompleteContractCommand>, ContractRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof CompleteContractCommand>): Promise<ContractRecord> {
    const caller = callerOf(ctx);
    const { contractId } = parseCommand(CompleteContractCommand, input);
    if (!isUuid(contractId)) throw new NotFoundError('Contract');
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const contract = await tx.getRepository(ContractRecord).findOne({ where: { id: contractId }, lock: { mode: 'pessimistic_write' } });
      if (!contract) throw new NotFoundError('Contract');
      if (contract.clientId !== caller.id) throw new ForbiddenError("Only the contract's client may complete it");
      if (contract.status !== 'ACTIVE') throw new ConflictError(`The contract is ${contract.status}, not ACTIVE`);
      const now = new Date();
      await tx.getRepository(ContractRecord).update({ id: contract.id }, { status: 'COMPLETED', endedAt: now });
      await this.events.publish(
        tx,
        ContractCompleted,
        { contractId: contract.id, jobId: contract.jobId, clientId: contract.clientId, talentId: contract.talentId, completedAt: now.toISOString() },
        { traceparent: ctx.traceparent },
      );
      return { ...contract, status: 'COMPLETED', endedAt: now };
    });
  }
}
