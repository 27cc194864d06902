import type { AuthUser } from '@talent/platform';

/**
 * Who sees a job's referrals: the job's client (from JobPosted) and admins see them all;
 * any other signed-in user only those they made or that name them as the talent;
 * an anonymous caller none. `clientId` is null while referrals has not seen the job posted.
 */
export function visibleJobReferrals<R extends { connectorId: string; talentId: string }>(
  caller: AuthUser | null,
  clientId: string | null,
  referrals: readonly R[],
): R[] {
  if (!caller) return [];
  if (caller.roles.includes('ADMIN') || (clientId !== null && caller.id === clientId)) return [...referrals];
  return referrals.filter((r) => r.connectorId === caller.id || r.talentId === caller.id);
}
