import type { EntityManager } from 'typeorm';

/** Advisory lock id (per database) serializing every change of the referral graph. */
const REFERRAL_GRAPH_LOCK = 7_305_104;

/**
 * Taken by every transaction that adds a referral or qualifies one, until it ends: two
 * referrals made at once cannot both miss the ring they form together, and two hires at once
 * cannot both pass a connector's daily cap. Referrals are rare next to reads, so one lock is cheap.
 */
export async function lockReferralGraph(tx: EntityManager): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [REFERRAL_GRAPH_LOCK]);
}
