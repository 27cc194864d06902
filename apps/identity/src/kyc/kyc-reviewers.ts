import { ForbiddenError, hasRole, type AuthUser } from '@talent/platform';

/** KYC cases are reviewed by INSPECTORs and ADMINs (FORBIDDEN for anyone else). */
export function assertKycReviewer(caller: AuthUser): AuthUser {
  if (!hasRole(caller, 'INSPECTOR') && !hasRole(caller, 'ADMIN')) throw new ForbiddenError('Requires one of the roles: INSPECTOR, ADMIN');
  return caller;
}
