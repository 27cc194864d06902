import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RatingRecord } from './rating.entity';

/** Reads of ratings (rating a contract: rate-contract.ts). */
@Injectable()
export class RatingsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Oldest first. */
  forContract(contractId: string): Promise<RatingRecord[]> {
    return this.dataSource.getRepository(RatingRecord).find({ where: { contractId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
