import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RatingSubmitted } from '@talent/events';
import {
  type AuthUser,
  BadUserInputError,
  charLength,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inTransaction,
  isUniqueViolation,
  isUuid,
  MembershipProjection,
  NotFoundError,
  PreconditionFailedError,
} from '@talent/platform';
import { ContractRecord } from '../contracts/contract.entity';
import { isParty } from '../contracts/contracts.service';
import { ReputationService } from '../users/reputation.service';
import { RatingRecord, type RateeRole } from './rating.entity';

export const MAX_COMMENT = 2000;

@Injectable()
export class RatingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly membership: MembershipProjection,
    private readonly reputation: ReputationService,
  ) {}

  /**
   * One side of a completed contract rates the other, once. RatingSubmitted carries the
   * ratee's reputation after this rating (the ratee's row lock keeps it exact under concurrency).
   */
  async rate(caller: AuthUser, contractId: string, stars: number, commentInput: string | null | undefined, traceparent?: string): Promise<RatingRecord> {
    if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw new BadUserInputError('stars must be between 1 and 5', 'stars');
    const comment = commentInput?.trim() || null;
    if (comment && charLength(comment) > MAX_COMMENT) throw new BadUserInputError(`comment must be at most ${MAX_COMMENT} characters`, 'comment');
    if (!isUuid(contractId)) throw new NotFoundError('Contract');
    try {
      return await inTransaction(this.dataSource, async (tx) => {
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
          { traceparent },
        );
        return rating;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'ratings_one_per_side')) throw new ConflictError('You have already rated this contract');
      throw error;
    }
  }

  /** Oldest first. */
  forContract(contractId: string): Promise<RatingRecord[]> {
    return this.dataSource.getRepository(RatingRecord).find({ where: { contractId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
