import { ForbiddenError, hasRole, type AuthUser } from '@talent/platform';

/** Partner nodes are the network's integrations: only an ADMIN sees or changes them. */
export function assertAdmin(caller: AuthUser): AuthUser {
  if (!hasRole(caller, 'ADMIN')) throw new ForbiddenError('Only an ADMIN manages partner nodes');
  return caller;
}
