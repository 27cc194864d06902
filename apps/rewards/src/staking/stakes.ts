import type { EntityManager } from 'typeorm';
import type { StakeStatus } from './stake.entity';

export interface StakeRow {
  talent_id: string;
  amount: string;
  status: StakeStatus;
}

export type StakeOutcome = 'LOCKED' | 'REJECTED' | 'RELEASED' | 'SLASHED' | 'UNCHANGED';

/** An application's stake, read in the caller's transaction (row-locked with `forUpdate`). */
export async function findStake(tx: EntityManager, applicationId: string, forUpdate = false): Promise<StakeRow | undefined> {
  const rows: StakeRow[] = await tx.query(
    `SELECT talent_id, amount::text AS amount, status FROM stakes WHERE application_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [applicationId],
  );
  return rows[0];
}
