import type { Role } from '@talent/events';

/** The caller, as proven by a verified access token. */
export interface AuthUser {
  id: string;
  roles: Role[];
}

export const hasRole = (user: AuthUser | null | undefined, ...roles: Role[]): boolean =>
  !!user && roles.some((r) => user.roles.includes(r));
