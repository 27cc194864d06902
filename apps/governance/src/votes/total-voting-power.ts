import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The total voting power at T, in one SQL statement on NUMERIC: the sum of the balances at T of
 * the users who were members at T (KYC approved at or before T). Delegation moves power between
 * members and never changes the total; balances of anyone else (system accounts such as the pool,
 * the treasury or undistributed allocations, and users not approved) neither vote nor count.
 * Balance at T = the latest checkpoint with changed_at <= T (index balance_checkpoints_user_time_idx).
 */
const TOTAL_POWER_AT = `
  SELECT trim_scale(COALESCE(sum(b.balance), 0))::text AS total
    FROM members m
    CROSS JOIN LATERAL (
      SELECT c.balance FROM balance_checkpoints c
       WHERE c.user_id = m.user_id AND c.changed_at <= $1::timestamptz
       ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) b
   WHERE m.approved_at <= $1::timestamptz`;

@Injectable()
export class TotalVotingPower {
  async at(tx: EntityManager, at: Date): Promise<string> {
    const [row] = (await tx.query(TOTAL_POWER_AT, [at])) as Array<{ total: string }>;
    return row.total;
  }
}
