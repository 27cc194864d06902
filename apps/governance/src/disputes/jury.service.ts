import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JurorDrawn } from '@talent/events';
import { EventPublisher } from '@talent/platform';
import { VotingPowerService } from '../delegation/voting-power.service';
import { GovernanceParameters } from '../parameters/governance-parameters';
import type { DisputeRecord } from './dispute.records';
import { canonicalEligible, drawJurors, eligibleHash, toWeightUnits, type EligibleJuror } from './jury-draw';

/**
 * Members who may sit on a dispute's jury, at an instant:
 * - KYC members (governance's `members`) with voting power > 0 at that instant;
 * - not a party (the contract's talent or client);
 * - not related to a party by referral: neither referred the other (signup or job referral),
 *   and no connector referred both of them (siblings of one connector often act together);
 * - not tied to a party by delegation at that instant (a party's delegate, or a member who
 *   delegated to a party): a party cannot lend its power to an accomplice to get them drawn;
 * - not seated now on another unresolved dispute (one jury at a time), and never seated
 *   before on this dispute (a replaced no-show is not drawn back).
 */
const ELIGIBLE_MEMBERS = `
  SELECT m.user_id FROM members m
   WHERE m.user_id <> ALL($1::uuid[])
     AND NOT EXISTS (SELECT 1 FROM dispute_jurors j WHERE j.dispute_id = $2 AND j.juror_id = m.user_id)
     AND NOT EXISTS (SELECT 1 FROM dispute_jurors j JOIN disputes d ON d.id = j.dispute_id
                      WHERE j.juror_id = m.user_id AND j.replaced_by IS NULL AND d.status <> 'RESOLVED')
     AND NOT EXISTS (SELECT 1 FROM referral_relations r
                      WHERE (r.connector_id = m.user_id AND r.referred_id = ANY($1::uuid[]))
                         OR (r.referred_id = m.user_id AND r.connector_id = ANY($1::uuid[])))
     AND NOT EXISTS (SELECT 1 FROM referral_relations mine JOIN referral_relations theirs ON theirs.connector_id = mine.connector_id
                      WHERE mine.referred_id = m.user_id AND theirs.referred_id = ANY($1::uuid[]))
     AND NOT EXISTS (SELECT 1 FROM (SELECT DISTINCT ON (d.delegator_id) d.delegator_id, d.delegatee_id FROM delegations d
                                     WHERE d.from_time <= $3::timestamptz AND (d.delegator_id = ANY($1::uuid[]) OR d.delegator_id = m.user_id)
                                     ORDER BY d.delegator_id, d.from_time DESC, d.id DESC) cur
                      WHERE (cur.delegator_id = ANY($1::uuid[]) AND cur.delegatee_id = m.user_id)
                         OR (cur.delegator_id = m.user_id AND cur.delegatee_id = ANY($1::uuid[])))
   ORDER BY m.user_id`;

/** Draws are serialized: two disputes drawn at once could otherwise seat the same member twice. */
const DRAW_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('governance.jury-draw', 0))`;

export interface SeatedJuror {
  seat: number;
  jurorId: string;
  replaces: string | null;
  voteBy: Date;
}

@Injectable()
export class JuryService {
  constructor(
    private readonly power: VotingPowerService,
    private readonly parameters: GovernanceParameters,
    private readonly events: EventPublisher,
  ) {}

  /** The eligible members and their weights at `at` (sorted by user id, positive weights only). */
  async eligible(tx: EntityManager, dispute: Pick<DisputeRecord, 'id' | 'talentId' | 'clientId'>, at: Date): Promise<EligibleJuror[]> {
    const rows: Array<{ user_id: string }> = await tx.query(ELIGIBLE_MEMBERS, [[dispute.talentId, dispute.clientId], dispute.id, at]);
    const weighted: EligibleJuror[] = [];
    for (const { user_id } of rows) {
      const weight = toWeightUnits(await this.power.votingPowerAt(tx, user_id, at));
      if (weight > 0n) weighted.push({ userId: user_id, weight });
    }
    return canonicalEligible(weighted);
  }

  /** Seconds a juror has to vote (governance parameter `jury.votingPeriodSeconds`), read in the caller's transaction. */
  async votingPeriodMs(tx: EntityManager): Promise<number> {
    return Number(await this.parameters.get(tx, 'jury.votingPeriodSeconds')) * 1000;
  }

  /**
   * Draws round `round` of the dispute into `seats` (a juror per seat; `replaces` names the
   * no-show a seat's new juror replaces), records the round's eligible set and its hash, and
   * publishes JurorDrawn per seat. Returns null, changing nothing, when fewer members are
   * eligible than there are seats to fill.
   */
  async seat(
    tx: EntityManager,
    dispute: DisputeRecord,
    round: number,
    seats: Array<{ seat: number; replaces: string | null }>,
    now: Date,
    traceparent?: string,
  ): Promise<SeatedJuror[] | null> {
    await tx.query(DRAW_LOCK);
    const eligible = await this.eligible(tx, dispute, now);
    if (eligible.length < seats.length) return null;
    const drawn = drawJurors(dispute.seed, round, eligible, seats.length);
    const voteBy = new Date(now.getTime() + (await this.votingPeriodMs(tx)));
    await tx.query(`INSERT INTO dispute_draws (dispute_id, round, drawn_at, seats, eligible, eligible_hash, drawn) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      dispute.id,
      round,
      now,
      seats.length,
      JSON.stringify(eligible.map((e) => [e.userId, e.weight.toString()])),
      eligibleHash(eligible),
      JSON.stringify(drawn),
    ]);
    const seated: SeatedJuror[] = [];
    for (const [i, { seat, replaces }] of seats.entries()) {
      const jurorId = drawn[i];
      if (replaces) {
        await tx.query(`UPDATE dispute_jurors SET replaced_by = $3, replaced_at = $4 WHERE dispute_id = $1 AND juror_id = $2 AND replaced_by IS NULL`, [
          dispute.id,
          replaces,
          jurorId,
          now,
        ]);
      }
      await tx.query(`INSERT INTO dispute_jurors (dispute_id, seat, round, juror_id, drawn_at, vote_by) VALUES ($1, $2, $3, $4, $5, $6)`, [
        dispute.id,
        seat,
        round,
        jurorId,
        now,
        voteBy,
      ]);
      await this.events.publish(
        tx,
        JurorDrawn,
        { disputeId: dispute.id, contractId: dispute.contractId, jurorId, seat, replaces, voteBy: voteBy.toISOString(), drawnAt: now.toISOString() },
        { traceparent },
      );
      seated.push({ seat, jurorId, replaces, voteBy });
    }
    await tx.query(`UPDATE disputes SET round = $2 WHERE id = $1`, [dispute.id, round]);
    return seated;
  }
}
