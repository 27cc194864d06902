import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CURRENT, instantParam, type Instant } from './instant';

/**
 * Voting power at an instant T, in one SQL statement on NUMERIC (never floats):
 * own balance at T unless the user's delegation at T names someone else, plus the balance
 * at T of every user whose delegation at T names this user (see DelegationService for the rule).
 * Balance at T = the latest checkpoint with changed_at <= T (0 when none).
 */
const VOTING_POWER_AT = `
  WITH own AS (
    SELECT CASE
             WHEN (SELECT d.delegatee_id FROM delegations d
                    WHERE d.delegator_id = $1 AND d.from_time <= $2::timestamptz
                    ORDER BY d.from_time DESC, d.id DESC LIMIT 1) IS NOT NULL THEN 0
             ELSE COALESCE((SELECT c.balance FROM balance_checkpoints c
                             WHERE c.user_id = $1 AND c.changed_at <= $2::timestamptz
                             ORDER BY c.changed_at DESC, c.id DESC LIMIT 1), 0)
           END AS power
  ),
  candidates AS (
    SELECT DISTINCT delegator_id FROM delegations WHERE delegatee_id = $1 AND from_time <= $2::timestamptz
  ),
  delegated AS (
    SELECT COALESCE(sum(COALESCE(b.balance, 0)), 0) AS power
      FROM candidates s
      CROSS JOIN LATERAL (
        SELECT d.delegatee_id FROM delegations d
         WHERE d.delegator_id = s.delegator_id AND d.from_time <= $2::timestamptz
         ORDER BY d.from_time DESC, d.id DESC LIMIT 1) cur
      LEFT JOIN LATERAL (
        SELECT c.balance FROM balance_checkpoints c
         WHERE c.user_id = s.delegator_id AND c.changed_at <= $2::timestamptz
         ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) b ON true
     WHERE cur.delegatee_id = $1
  )
  SELECT trim_scale(own.power + delegated.power)::text AS power FROM own, delegated`;

/** The same rule for many users in one statement: VOTING_POWER_AT once per user of $1 (uuid[]). */
const VOTING_POWERS_AT = `
  SELECT u.id::text AS user_id, p.power
    FROM unnest($1::uuid[]) AS u(id)
   CROSS JOIN LATERAL (${VOTING_POWER_AT.replace(/\$1\b/g, 'u.id')}) p`;

@Injectable()
export class VotingPowerService {
  constructor(private readonly dataSource: DataSource) {}

  /** The user's voting power at `at` as a decimal string ("0" for unknown users). */
  async votingPowerAt(tx: EntityManager, userId: string, at: Instant): Promise<string> {
    const [row] = (await tx.query(VOTING_POWER_AT, [userId.toLowerCase(), instantParam(at)])) as Array<{ power: string }>;
    return row.power;
  }

  /** The user's voting power now (the latest known checkpoints and delegations). */
  current(userId: string): Promise<string> {
    return this.votingPowerAt(this.dataSource.manager, userId, CURRENT);
  }

  /** Voting power now of each user (lower-case UUIDs), in one query: for a list of users in one GraphQL response. */
  async currentOf(userIds: readonly string[]): Promise<Map<string, string>> {
    const rows = (await this.dataSource.query(VOTING_POWERS_AT, [userIds, instantParam(CURRENT)])) as Array<{ user_id: string; power: string }>;
    return new Map(rows.map((r) => [r.user_id, r.power]));
  }
}
