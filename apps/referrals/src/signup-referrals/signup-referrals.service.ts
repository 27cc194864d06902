import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SignupReferralRecord } from './signup-referral.entity';

@Injectable()
export class SignupReferralsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Every signup referral of the connector, newest first. */
  forConnector(connectorId: string): Promise<SignupReferralRecord[]> {
    return this.dataSource.getRepository(SignupReferralRecord).find({ where: { connectorId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }
}
