import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { isUuid } from '@talent/platform';
import { VoteRecord } from '../votes/vote.entity';
import type { ProposalStatus } from './proposal-state';
import { ProposalRecord } from './proposal.entity';

/** Reads of proposals and votes (public, like an on-chain governor's). */
@Injectable()
export class ProposalsReader {
  constructor(private readonly dataSource: DataSource) {}

  async byId(id: string): Promise<ProposalRecord | null> {
    return isUuid(id) ? this.dataSource.getRepository(ProposalRecord).findOneBy({ id: id.toLowerCase() }) : null;
  }

  async byIds(ids: readonly string[]): Promise<Map<string, ProposalRecord>> {
    const found = ids.length ? await this.dataSource.getRepository(ProposalRecord).findBy({ id: In([...new Set(ids)]) }) : [];
    return new Map(found.map((p) => [p.id, p]));
  }

  /** Newest first, optionally by status. */
  list(status: ProposalStatus | null, first: number): Promise<ProposalRecord[]> {
    return this.dataSource.getRepository(ProposalRecord).find({
      where: status ? { status } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      take: first,
    });
  }

  /** A proposal's votes in the order they were cast. */
  votes(proposalId: string, first: number): Promise<VoteRecord[]> {
    return this.dataSource.getRepository(VoteRecord).find({ where: { proposalId }, order: { createdAt: 'ASC', id: 'ASC' }, take: first });
  }
}
