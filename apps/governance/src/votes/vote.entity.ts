import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { VoteSupport } from '../proposals/proposal-state';

/** One member's vote on one proposal (unique per proposal and voter). Append-only. */
@Entity({ name: 'votes' })
export class VoteRecord {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @Column({ name: 'voter_id', type: 'uuid' })
  voterId: string;

  @Column({ type: 'text' })
  support: VoteSupport;

  /** The voter's voting power at the proposal's snapshot. */
  @Column({ type: 'numeric', precision: 36, scale: 18 })
  weight: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
