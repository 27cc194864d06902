import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RoleGranted, RoleRevoked, type Role } from '@talent/events';
import { EventPublisher, ForbiddenError, inTransaction, NotFoundError, PreconditionFailedError, type AuthUser } from '@talent/platform';
import { SessionsService } from '../auth/sessions.service';
import { UserRecord } from './user.entity';

/** Serializes changes that could remove an active admin, so two admins cannot demote each other at once. */
const ADMIN_SET_LOCK = 7305003;

/**
 * What an admin may do to accounts: grant and revoke roles, disable and enable accounts.
 * The caller's ADMIN role is checked by the resolver. Each change commits first, then revokes
 * the user's access tokens issued until then (see SessionsService), so a role taken back
 * or a disabled account stops working at every subgraph within seconds, and a granted role
 * shows in the next token. Every call can be repeated: a failed revocation is retried by
 * repeating it.
 */
@Injectable()
export class UserAccessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly sessions: SessionsService,
  ) {}

  /** Granting a role the user already has changes nothing. */
  async grantRole(admin: AuthUser, userId: string, role: Role, traceparent?: string): Promise<UserRecord> {
    let changed = false;
    const user = await inTransaction(this.dataSource, async (tx) => {
      const user = await this.lock(tx, userId);
      if (user.roles.includes(role)) return user;
      await this.save(tx, user, { roles: [...user.roles, role] });
      await this.events.publish(tx, RoleGranted, { userId: user.id, role, grantedBy: admin.id }, { traceparent });
      changed = true;
      return user;
    });
    // Older tokens go, so the client refreshes and its next token carries the role.
    if (changed) await this.sessions.revokeAccessTokensIssuedUntilNow(user.id);
    return user;
  }

  /** Takes a role back; tokens that carry it are refused from now on. Revoking a role the user lacks changes nothing else. */
  async revokeRole(admin: AuthUser, userId: string, role: Role, traceparent?: string): Promise<UserRecord> {
    if (role === 'ADMIN' && userId === admin.id) throw new ForbiddenError('An admin cannot take ADMIN from themselves; another admin must');
    const user = await inTransaction(this.dataSource, async (tx) => {
      const user = await this.lock(tx, userId);
      if (!user.roles.includes(role)) return user;
      if (role === 'ADMIN') await this.assertAnotherActiveAdmin(tx, user.id);
      await this.save(tx, user, { roles: user.roles.filter((r) => r !== role) });
      await this.events.publish(tx, RoleRevoked, { userId: user.id, role, revokedBy: admin.id }, { traceparent });
      return user;
    });
    await this.sessions.revokeAccessTokensIssuedUntilNow(user.id);
    return user;
  }

  /** The account can no longer sign in or refresh; every session ends and every token is refused. */
  async disableUser(admin: AuthUser, userId: string): Promise<UserRecord> {
    if (userId === admin.id) throw new ForbiddenError('An admin cannot disable their own account');
    const user = await inTransaction(this.dataSource, async (tx) => {
      const user = await this.lock(tx, userId);
      if (user.disabledAt) return user;
      if (user.roles.includes('ADMIN')) await this.assertAnotherActiveAdmin(tx, user.id);
      await this.save(tx, user, { disabledAt: new Date() });
      return user;
    });
    await this.sessions.revokeAll(user.id);
    return user;
  }

  /** Lets the account sign in again (its old sessions stay ended). */
  enableUser(_admin: AuthUser, userId: string): Promise<UserRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      const user = await this.lock(tx, userId);
      if (user.disabledAt) await this.save(tx, user, { disabledAt: null });
      return user;
    });
  }

  private async lock(tx: EntityManager, userId: string): Promise<UserRecord> {
    const user = await tx.getRepository(UserRecord).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw new NotFoundError('User');
    return user;
  }

  private async save(tx: EntityManager, user: UserRecord, change: Partial<Pick<UserRecord, 'roles' | 'disabledAt'>>): Promise<void> {
    Object.assign(user, change, { updatedAt: new Date() });
    await tx.getRepository(UserRecord).update({ id: user.id }, { ...change, updatedAt: user.updatedAt });
  }

  /** The network always keeps an admin who can sign in: refuses to demote or disable the last one. */
  private async assertAnotherActiveAdmin(tx: EntityManager, userId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_SET_LOCK]);
    const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM users WHERE 'ADMIN' = ANY (roles) AND disabled_at IS NULL AND id <> $1`, [userId]);
    if (n === 0) throw new PreconditionFailedError('This is the last active admin; make another admin first');
  }
}
