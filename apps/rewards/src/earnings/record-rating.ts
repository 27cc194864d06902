import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { RatingSubmitted } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { ContractEarnings } from './contract-earnings';

const RecordRatingCommand = RatingSubmitted.schema.extend({ eventId: z.string() });

/** Use case (the system's, on jobs' RatingSubmitted): a 5-star rating waits for the contract's paid invoices to reach the policy's minimum (see ContractEarnings). */
@Injectable()
export class RecordRating implements UseCase<z.input<typeof RecordRatingCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly earnings: ContractEarnings,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordRatingCommand>): Promise<void> {
    assertSystem(ctx, 'RecordRating');
    const { eventId, ...payload } = parseCommand(RecordRatingCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => this.earnings.recordRating(tx, payload, { eventId, traceparent: ctx.traceparent }));
  }
}
