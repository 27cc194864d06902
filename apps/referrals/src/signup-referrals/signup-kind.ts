import type { Role } from '@talent/events';
import type { ReferralKind } from '../shared/referral.types';

/**
 * The kind of a signup referral, from the new user's roles: TALENT wins when they chose both
 * TALENT and CLIENT (the kind is fixed at signup). Neither role (e.g. CONNECTOR only): no
 * kind, nothing to attribute, since such a signup can never qualify.
 */
export function signupKind(roles: readonly Role[]): ReferralKind | null {
  if (roles.includes('TALENT')) return 'TALENT';
  if (roles.includes('CLIENT')) return 'CLIENT';
  return null;
}
