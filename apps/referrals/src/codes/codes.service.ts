import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ReferralCodeRecord } from './referral-code.entity';

/** Reads of the referral codes (issued by IssueReferralCode). */
@Injectable()
export class CodesService {
  constructor(private readonly dataSource: DataSource) {}

  async ownerOf(tx: EntityManager, code: string): Promise<string | null> {
    return (await tx.getRepository(ReferralCodeRecord).findOneBy({ code }))?.userId ?? null;
  }

  async codeOf(userId: string): Promise<string | null> {
    return (await this.dataSource.getRepository(ReferralCodeRecord).findOneBy({ userId }))?.code ?? null;
  }
}
