import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { RoleGranted, type Role } from '@talent/events';
import { EventPublisher, inTransaction, NotFoundError, type AuthUser } from '@talent/platform';
import { UserRecord } from './user.entity';
import { KycStatusEnum, RoleEnum, ScreeningStatusEnum, UserModel } from './user.model';

export const toUserModel = (u: UserRecord): UserModel =>
  Object.assign(new UserModel(), {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    roles: u.roles as RoleEnum[],
    kycStatus: u.kycStatus as KycStatusEnum,
    isMember: u.kycStatus === 'APPROVED',
    screeningStatus: u.screeningStatus as ScreeningStatusEnum,
    createdAt: u.createdAt,
  });

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  findById(id: string, tx: EntityManager = this.dataSource.manager): Promise<UserRecord | null> {
    return tx.getRepository(UserRecord).findOneBy({ id });
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, UserRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(UserRecord).findBy({ id: In([...new Set(ids)]) });
    return new Map(rows.map((r) => [r.id, r]));
  }

  async getOrThrow(id: string, tx?: EntityManager): Promise<UserRecord> {
    const user = await this.findById(id, tx);
    if (!user) throw new NotFoundError('User');
    return user;
  }

  /** ADMIN only (checked by the resolver). Granting a role the user already has changes nothing. */
  grantRole(admin: AuthUser, userId: string, role: Role, traceparent?: string): Promise<UserRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      const user = await tx.getRepository(UserRecord).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundError('User');
      if (user.roles.includes(role)) return user;
      user.roles = [...user.roles, role];
      user.updatedAt = new Date();
      await tx.getRepository(UserRecord).update({ id: user.id }, { roles: user.roles, updatedAt: user.updatedAt });
      await this.events.publish(tx, RoleGranted, { userId: user.id, role, grantedBy: admin.id }, { traceparent });
      return user;
    });
  }
}
