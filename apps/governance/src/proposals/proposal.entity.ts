import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ProposalKind, ProposalStatus } from './proposal-state';

export interface ParameterChangeValue {
  key: string;
  value: string;
}

/** A governance proposal. NUMERIC columns are read as decimal strings (never floats). */
@Entity({ name: 'proposals' })
export class ProposalRecord {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'proposer_id', type: 'uuid' })
  proposerId: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text' })
  kind: ProposalKind;

  @Column({ name: 'parameter_changes', type: 'jsonb' })
  parameterChanges: ParameterChangeValue[];

  @Column({ name: 'grant_recipient_id', type: 'uuid', nullable: true })
  grantRecipientId: string | null;

  @Column({ name: 'grant_amount', type: 'numeric', precision: 36, scale: 18, nullable: true })
  grantAmount: string | null;

  @Column({ type: 'text' })
  status: ProposalStatus;

  @Column({ name: 'snapshot_at', type: 'timestamptz' })
  snapshotAt: Date;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  /** The members' voting power at snapshotAt (the quorum's base). */
  @Column({ name: 'total_power', type: 'numeric', precision: 36, scale: 18 })
  totalPower: string;

  @Column({ type: 'numeric', precision: 36, scale: 18 })
  quorum: string;

  @Column({ name: 'for_votes', type: 'numeric', precision: 36, scale: 18 })
  forVotes: string;

  @Column({ name: 'against_votes', type: 'numeric', precision: 36, scale: 18 })
  againstVotes: string;

  @Column({ name: 'abstain_votes', type: 'numeric', precision: 36, scale: 18 })
  abstainVotes: string;

  @Column({ name: 'quorum_reached_at', type: 'timestamptz', nullable: true })
  quorumReachedAt: Date | null;

  @Column({ name: 'extended_by_late_quorum', type: 'boolean' })
  extendedByLateQuorum: boolean;

  /** When voting ended (QUEUED or DEFEATED), or the proposal expired. */
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt: Date | null;

  @Column({ name: 'executable_at', type: 'timestamptz', nullable: true })
  executableAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'executed_at', type: 'timestamptz', nullable: true })
  executedAt: Date | null;

  @Column({ name: 'executed_by', type: 'uuid', nullable: true })
  executedBy: string | null;

  @Column({ name: 'canceled_at', type: 'timestamptz', nullable: true })
  canceledAt: Date | null;

  @Column({ name: 'canceled_by', type: 'uuid', nullable: true })
  canceledBy: string | null;

  @Column({ name: 'canceled_by_guardian', type: 'boolean', nullable: true })
  canceledByGuardian: boolean | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
