import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { instantParam, type Instant } from './instant';

/**
 * Vote delegation, Compound-style (one level, not transitive):
 * - a member delegates all of their voting power to one other member, or to themselves
 *   (stored as "no delegate": they vote with their own power);
 * - a delegate's power = own balance (unless they delegated it away) + the balances of the
 *   users whose current delegate they are. Power a delegate received is NOT passed on when
 *   the delegate delegates in turn: only their own balance moves. So there are no chains
 *   or cycles to resolve, and a user who delegated may still receive delegation.
 * Each change appends a row effective from its time, so power is known at any past instant
 * (DelegateVotes writes it; this reads it).
 */
@Injectable()
export class DelegationService {
  constructor(private readonly dataSource: DataSource) {}

  /** The user's delegate at `at`; null when none (or delegated to themselves). */
  async delegateAt(tx: EntityManager, userId: string, at: Instant): Promise<string | null> {
    const [row] = (await tx.query(
      `SELECT delegatee_id FROM delegations
        WHERE delegator_id = $1 AND from_time <= $2::timestamptz
        ORDER BY from_time DESC, id DESC LIMIT 1`,
      [userId.toLowerCase(), instantParam(at)],
    )) as Array<{ delegatee_id: string | null }>;
    return row?.delegatee_id ?? null;
  }

  /** Each user's delegate at `at` (lower-case UUIDs; null when none), in one query. */
  async delegatesAt(userIds: readonly string[], at: Instant): Promise<Map<string, string | null>> {
    const rows = (await this.dataSource.query(
      `SELECT u.id::text AS user_id,
              (SELECT d.delegatee_id FROM delegations d
                WHERE d.delegator_id = u.id AND d.from_time <= $2::timestamptz
                ORDER BY d.from_time DESC, d.id DESC LIMIT 1) AS delegatee_id
         FROM unnest($1::uuid[]) AS u(id)`,
      [userIds, instantParam(at)],
    )) as Array<{ user_id: string; delegatee_id: string | null }>;
    return new Map(rows.map((r) => [r.user_id, r.delegatee_id]));
  }
}
