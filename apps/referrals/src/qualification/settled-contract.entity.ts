import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A contract whose hire was already considered for qualification: each contract is settled once. */
@Entity({ name: 'contracts' })
export class SettledContractRecord {
  @PrimaryColumn({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @Column({ name: 'talent_id', type: 'uuid' })
  talentId: string;

  @Column({ name: 'client_first_hire', type: 'boolean' })
  clientFirstHire: boolean;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz' })
  processedAt: Date;
}
