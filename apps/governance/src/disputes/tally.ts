import type { DisputeDecision } from './dispute.records';

export interface Verdict {
  decision: DisputeDecision;
  /** The jurors who voted the decision: they earn `jury.reward`. Empty when nobody won (a tie, or no vote). */
  majorityJurorIds: string[];
}

/**
 * The verdict of a jury, or null while it is still out.
 * - A decision voted by a majority of the jury size (e.g. 2 of 3) decides at once.
 * - When every seat has voted, or at the last deadline (`final`: no replacement can be drawn,
 *   or the rounds are spent), the decision with more votes cast wins.
 * - With no majority at the end (a tie, or nobody voted), the dispute is resolved FOR_TALENT:
 *   the invoices go back to SUBMITTED, i.e. as they were before the dispute (the client still
 *   decides whether to approve them); nothing is voided without a jury majority, and nobody is
 *   rewarded.
 */
export function tally(seats: ReadonlyArray<{ jurorId: string; decision: DisputeDecision | null }>, jurySize: number, final: boolean): Verdict | null {
  const votersOf = (decision: DisputeDecision) => seats.filter((s) => s.decision === decision).map((s) => s.jurorId);
  const forTalent = votersOf('FOR_TALENT');
  const forClient = votersOf('FOR_CLIENT');
  const majority = Math.floor(jurySize / 2) + 1;
  if (forTalent.length >= majority) return { decision: 'FOR_TALENT', majorityJurorIds: forTalent };
  if (forClient.length >= majority) return { decision: 'FOR_CLIENT', majorityJurorIds: forClient };
  const allVoted = seats.length > 0 && seats.every((s) => s.decision !== null);
  if (!allVoted && !final) return null;
  if (forTalent.length > forClient.length) return { decision: 'FOR_TALENT', majorityJurorIds: forTalent };
  if (forClient.length > forTalent.length) return { decision: 'FOR_CLIENT', majorityJurorIds: forClient };
  return { decision: 'FOR_TALENT', majorityJurorIds: [] };
}
