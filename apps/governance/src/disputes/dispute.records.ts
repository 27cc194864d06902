import type { EntityManager } from 'typeorm';

export type DisputeStatus = 'OPEN' | 'VOTING' | 'RESOLVED';
export const DECISIONS = ['FOR_TALENT', 'FOR_CLIENT'] as const;
export type DisputeDecision = (typeof DECISIONS)[number];

/** A row of `disputes` (the reason included: it never leaves governance). */
export interface DisputeRecord {
  id: string;
  contractId: string;
  talentId: string;
  clientId: string;
  openedBy: string;
  reason: string;
  status: DisputeStatus;
  seed: string;
  jurySize: number;
  round: number;
  outcome: DisputeDecision | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

/** A seat taken on a jury (`dispute_jurors`). */
export interface JurorSeat {
  id: string;
  disputeId: string;
  seat: number;
  round: number;
  jurorId: string;
  drawnAt: Date;
  voteBy: Date;
  decision: DisputeDecision | null;
  votedAt: Date | null;
  replacedBy: string | null;
}

interface DisputeRow {
  id: string;
  contract_id: string;
  talent_id: string;
  client_id: string;
  opened_by: string;
  reason: string;
  status: DisputeStatus;
  seed: string;
  jury_size: number;
  round: number;
  outcome: DisputeDecision | null;
  created_at: Date;
  resolved_at: Date | null;
}

interface JurorRow {
  id: string;
  dispute_id: string;
  seat: number;
  round: number;
  juror_id: string;
  drawn_at: Date;
  vote_by: Date;
  decision: DisputeDecision | null;
  voted_at: Date | null;
  replaced_by: string | null;
}

const toDispute = (r: DisputeRow): DisputeRecord => ({
  id: r.id,
  contractId: r.contract_id,
  talentId: r.talent_id,
  clientId: r.client_id,
  openedBy: r.opened_by,
  reason: r.reason,
  status: r.status,
  seed: r.seed,
  jurySize: r.jury_size,
  round: r.round,
  outcome: r.outcome,
  createdAt: new Date(r.created_at),
  resolvedAt: r.resolved_at ? new Date(r.resolved_at) : null,
});

const toSeat = (r: JurorRow): JurorSeat => ({
  id: String(r.id),
  disputeId: r.dispute_id,
  seat: r.seat,
  round: r.round,
  jurorId: r.juror_id,
  drawnAt: new Date(r.drawn_at),
  voteBy: new Date(r.vote_by),
  decision: r.decision,
  votedAt: r.voted_at ? new Date(r.voted_at) : null,
  replacedBy: r.replaced_by,
});

/** The dispute, optionally row-locked (FOR UPDATE: the lock that orders votes, deadlines and resolution of one dispute). */
export async function findDispute(tx: EntityManager, id: string, lock = false): Promise<DisputeRecord | null> {
  const rows: DisputeRow[] = await tx.query(`SELECT * FROM disputes WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toDispute(rows[0]) : null;
}

/** The jurors seated now (not replaced), by seat. */
export async function currentSeats(tx: EntityManager, disputeId: string): Promise<JurorSeat[]> {
  const rows: JurorRow[] = await tx.query(`SELECT * FROM dispute_jurors WHERE dispute_id = $1 AND replaced_by IS NULL ORDER BY seat`, [disputeId]);
  return rows.map(toSeat);
}
