import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { RoleSchema } from '@talent/events';
import { isUuid, NotFoundError, PreconditionFailedError } from '@talent/platform';
import { UserRecord } from './user.entity';

/** Serializes changes that could remove an active admin, so two admins cannot demote each other at once. */
const ADMIN_SET_LOCK = 7305003;

/** The command of GrantRole and RevokeRole. */
export const UserRoleCommand = z.object({ userId: z.string(), role: RoleSchema });
/** The command of DisableAccount and EnableAccount. */
export const UserAccountCommand = z.object({ userId: z.string() });

/** The user, locked until the transaction ends; NOT_FOUND for an unknown id or one that is not a UUID. */
export async function lockUser(tx: EntityManager, userId: string): Promise<UserRecord> {
  const user = isUuid(userId) ? await tx.getRepository(UserRecord).findOne({ where: { id: userId.toLowerCase() }, lock: { mode: 'pessimistic_write' } }) : null;
  if (!user) throw new NotFoundError('User');
  return user;
}

export async function saveUser(tx: EntityManager, user: UserRecord, change: Partial<Pick<UserRecord, 'roles' | 'disabledAt'>>): Promise<void> {
  Object.assign(user, change, { updatedAt: new Date() });
  await tx.getRepository(UserRecord).update({ id: user.id }, { ...change, updatedAt: user.updatedAt });
}

/** The network always keeps an admin who can sign in: refuses to demote or disable the last one. */
export async function assertAnotherActiveAdmin(tx: EntityManager, userId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_SET_LOCK]);
  const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM users WHERE 'ADMIN' = ANY (roles) AND disabled_at IS NULL AND id <> $1`, [userId]);
  if (n === 0) throw new PreconditionFailedError('This is the last active admin; make another admin first');
}
