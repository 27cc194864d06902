import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { KycApproved, PayloadOf } from '@talent/events';
import { Ledger } from '../ledger/ledger';

/** Membership as rewards knows it; only members earn, stake and withdraw. */
@Injectable()
export class MembersService {
  constructor(private readonly ledger: Ledger) {}

  /** Records a member and opens their wallet; a replayed or repeated approval changes nothing. */
  async recordApproval(tx: EntityManager, approval: PayloadOf<typeof KycApproved>): Promise<void> {
    await tx.query(
      `INSERT INTO members (user_id, kyc_case_id, approved_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING`,
      [approval.userId.toLowerCase(), approval.caseId, approval.approvedAt],
    );
    await this.ledger.openWallet(tx, approval.userId);
  }

  async isMember(tx: EntityManager, userId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM members WHERE user_id = $1`, [userId.toLowerCase()]);
    return rows.length > 0;
  }
}
