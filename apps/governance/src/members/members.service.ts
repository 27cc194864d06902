import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { KycApproved, PayloadOf } from '@talent/events';
import { MemberRecord } from './member.entity';

/** The members projection, fed by identity's KycApproved only; idempotent. */
@Injectable()
export class MembersService {
  constructor(private readonly dataSource: DataSource) {}

  async recordMember(tx: EntityManager, p: PayloadOf<typeof KycApproved>): Promise<void> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(MemberRecord)
      .values({ userId: p.userId.toLowerCase(), kycCaseId: p.caseId, approvedAt: new Date(p.approvedAt) })
      .orIgnore()
      .execute();
  }

  async isMember(userId: string, tx: EntityManager = this.dataSource.manager): Promise<boolean> {
    return (await tx.getRepository(MemberRecord).countBy({ userId: userId.toLowerCase() })) > 0;
  }
}
