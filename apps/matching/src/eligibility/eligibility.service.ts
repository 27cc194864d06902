import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MatchesService } from '../matches/matches.service';
import { ProfilesService } from '../profiles/profiles.service';
import type { EligibilityState } from './eligibility';

/**
 * The talent_eligibility projection. Its row per talent is also the lock that serialises
 * everything that decides a profile's `eligible` flag or ranking inputs (profile upserts,
 * identity's events, ratings), so none of them can miss another's change.
 */
@Injectable()
export class EligibilityService {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly matches: MatchesService,
  ) {}

  /** Locks the talent (creating their row if needed) until the transaction ends; returns their state. */
  async lockTalent(tx: EntityManager, talentId: string): Promise<EligibilityState> {
    await tx.query(`INSERT INTO talent_eligibility (talent_id) VALUES ($1) ON CONFLICT (talent_id) DO NOTHING`, [talentId]);
    const [row] = await tx.query(`SELECT member, screening FROM talent_eligibility WHERE talent_id = $1 FOR UPDATE`, [talentId]);
    return { member: row.member, screening: row.screening };
  }

  /** KycApproved: the user is a member (final). */
  async recordMembership(tx: EntityManager, talentId: string, approvedAt: string): Promise<void> {
    await tx.query(
      `UPDATE talent_eligibility
          SET member = true, member_since = coalesce(member_since, $2::timestamptz), updated_at = now()
        WHERE talent_id = $1`,
      [talentId, approvedAt],
    );
  }

  /** TalentScreened: the latest decision wins, whatever order the events arrive in. */
  async recordScreening(tx: EntityManager, talentId: string, decision: 'APPROVED' | 'REJECTED', screenedAt: string): Promise<void> {
    await tx.query(
      `UPDATE talent_eligibility
          SET screening = $2, screened_at = $3::timestamptz, updated_at = now()
        WHERE talent_id = $1 AND (screened_at IS NULL OR screened_at <= $3::timestamptz)`,
      [talentId, decision, screenedAt],
    );
  }

  /**
   * After identity told of a change (the caller holds the talent's lock): recomputes their
   * profile's `eligible` flag and, when it flipped, re-ranks the open jobs it affects.
   */
  async applyToProfile(tx: EntityManager, talentId: string, traceparent?: string): Promise<void> {
    const change = await this.profiles.syncEligibility(tx, talentId);
    if (change && change.before !== change.after) await this.matches.rematchForTalent(tx, talentId, traceparent);
  }
}
