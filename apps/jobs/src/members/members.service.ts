import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PayloadOf, KycApproved } from '@talent/events';
import { APP_CONFIG, awaitProjection, type BaseConfig, PreconditionFailedError } from '@talent/platform';
import { MemberRecord } from './member.entity';

/** Membership as jobs knows it: the `members` projection of identity's KycApproved events. */
@Injectable()
export class MembersService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<BaseConfig, 'PROJECTION_WAIT_MS'>,
  ) {}

  /** Records a member; a replayed or repeated approval changes nothing. */
  async recordApproval(tx: EntityManager, approval: PayloadOf<typeof KycApproved>): Promise<void> {
    await tx.query(
      `INSERT INTO members (user_id, country, kyc_case_id, approved_at, recorded_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (user_id) DO NOTHING`,
      [approval.userId, approval.country, approval.caseId, approval.approvedAt],
    );
  }

  async isMember(tx: EntityManager, userId: string): Promise<boolean> {
    return tx.getRepository(MemberRecord).existsBy({ userId });
  }

  /**
   * Projection lag: a member approved a moment ago in identity reaches jobs through Kafka. Waits
   * for the membership a bounded time (PROJECTION_WAIT_MS), outside any transaction, so that the
   * command that follows the approval is not refused; `requireMember` then decides.
   */
  async waitUntilMember(userId: string): Promise<void> {
    await awaitProjection(() => this.dataSource.getRepository(MemberRecord).existsBy({ userId }), { timeoutMs: this.config.PROJECTION_WAIT_MS });
  }

  /** PRECONDITION_FAILED unless the user is a member; `action` completes "Only members ... may <action>". */
  async requireMember(tx: EntityManager, userId: string, action: string): Promise<void> {
    if (!(await this.isMember(tx, userId))) {
      throw new PreconditionFailedError(`Only members (KYC approved) may ${action}`);
    }
  }

  /**
   * Locks the member's row for the rest of the transaction: serialises use cases that
   * read then write per-user aggregates (a client's first hire, a ratee's reputation).
   */
  async lock(tx: EntityManager, userId: string): Promise<void> {
    await tx.getRepository(MemberRecord).findOne({ where: { userId }, lock: { mode: 'pessimistic_write' } });
  }
}
