import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { RatingSubmitted } from '@talent/events';
import {
  callerOf,
  charLength,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inUseCaseTransaction,
  isUniqueViolation,
  isUuid,
  MembershipProjection,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { ContractRecord } from '../contracts/contract.entity';
import { isParty } from '../contracts/contracts.service';
import { ReputationService } from '../users/reputation.service';
import { RatingRecord, type RateeRole } from './rating.entity';

const MAX_COMMENT = 2000;

const RateContractCommand = z.object({
  contractId: z.string(),
  stars: z.number().int('must be between 1 and 5').min(1, 'must be between 1 and 5').max(5, 'must be between 1 and 5'),
  comment: z
    .string()
    .trim()
    .refine((comment) => charLength(comment) <= MAX_COMMENT, `must be at most ${MAX_COMMENT} characters`)
    .nullish()
    .transform((comment) => comment || null),
});

/**
 * Use case: one side of a completed contract rates the other, once. RatingSubmitted carries the
 * ratee's reputation after this rating (the ratee's row lock keeps it exact under concurrency).
 */
@Injectable()
export class RateContract implements UseCase<z.input<typeof RateContractCommand>, RatingRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly membership: MembershipProjection,
    private readonly reputation: ReputationService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RateContractCommand>): Promise<RatingRecord> {
    const caller = callerOf(ctx);
    const { contractId, stars, comment } = parseCommand(RateContractCommand, input);
    if (!isUuid(contractId)) throw new NotFoundError('Contract');
    try {
      return await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
        const contract = await tx.getRepository(ContractRecord).findOne({ where: { id: contractId }, lock: { mode: 'pessimistic_read' } });
        if (!contract) throw new NotFoundError('Contract');
        if (!isParty(caller, contract)) throw new ForbiddenError("Only the contract's talent and client may rate it");
        if (contract.status !== 'COMPLETED') throw new PreconditionFailedError(`Only completed contracts can be rated (this one is ${contract.status})`);
        const [rateeId, rateeRole]: [string, RateeRole] = caller.id === contract.talentId ? [contract.clientId, 'CLIENT'] : [contract.talentId, 'TALENT'];
        if (await tx.getRepository(RatingRecord).existsBy({ contractId: contract.id, raterId: caller.id })) {
          throw new ConflictError('You have already rated this contract');
        }
        await this.membership.lock(tx, rateeId);
        const now = new Date();
        const rating = tx.getRepository(RatingRecord).create({
          id: randomUUID(),
          contractId: contract.id,
          raterId: caller.id,
          rateeId,
          rateeRole,
          stars,
          comment,
          createdAt: now,
        });
        await tx.getRepository(RatingRecord).insert(rating);
        const reputation = await this.reputation.one(rateeId, tx);
        await this.events.publish(
          tx,
          RatingSubmitted,
          {
            ratingId: rating.id,
            contractId: contract.id,
            raterId: caller.id,
            rateeId,
            rateeRole,
            stars,
            rateeAverageRating: reputation.averageRating ?? stars,
            rateeRatingsCount: reputation.ratingsCount,
            submittedAt: now.toISOString(),
          },
          { traceparent: ctx.traceparent },
        );
        return rating;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'ratings_one_per_side')) throw new ConflictError('You have already rated this contract');
      throw error;
    }
  }
}
