import type { EntityManager } from 'typeorm';

/** Whether a dispute is open on the contract (read in the caller's transaction). */
export async function isUnderDispute(tx: EntityManager, contractId: string): Promise<boolean> {
  const rows: unknown[] = await tx.query(`SELECT 1 FROM contract_disputes WHERE contract_id = $1 AND status = 'OPEN'`, [contractId]);
  return rows.length > 0;
}
