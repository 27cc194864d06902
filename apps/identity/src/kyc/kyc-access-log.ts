import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BadUserInputError, decodeCursor, encodeCursor, isUuid } from '@talent/platform';
import { KycDetailsReadRecord } from './kyc-details-read.entity';

export interface KycAccessPage {
  edges: Array<{ cursor: string; node: KycDetailsReadRecord }>;
  hasNextPage: boolean;
}

/** Reads of the audit log of KYC details reads (who may see which rows is the resolver's call). */
@Injectable()
export class KycAccessLog {
  constructor(private readonly dataSource: DataSource) {}

  /** Every read of the owner's cases, newest first; keyset pagination on (readAt, id). */
  async forOwner(ownerId: string, first: number, after?: string | null): Promise<KycAccessPage> {
    const qb = this.dataSource
      .getRepository(KycDetailsReadRecord)
      .createQueryBuilder('r')
      .where('r.case_owner_id = :ownerId', { ownerId })
      .orderBy('r.read_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(first + 1);
    if (after) {
      const [readAt, id] = decodeCursor(after, 2);
      if (typeof readAt !== 'string' || Number.isNaN(Date.parse(readAt)) || typeof id !== 'string' || !isUuid(id)) {
        throw new BadUserInputError('Invalid cursor', 'after');
      }
      qb.andWhere('(r.read_at, r.id) < (:readAt, :id)', { readAt, id });
    }
    const rows = await qb.getMany();
    return {
      edges: rows.slice(0, first).map((node) => ({ cursor: encodeCursor([node.readAt.toISOString(), node.id]), node })),
      hasNextPage: rows.length > first,
    };
  }

  /** The reads of one case, newest first. */
  forCase(caseId: string): Promise<KycDetailsReadRecord[]> {
    return this.dataSource.getRepository(KycDetailsReadRecord).find({ where: { caseId }, order: { readAt: 'DESC', id: 'DESC' } });
  }
}
