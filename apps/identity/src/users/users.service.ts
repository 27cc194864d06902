import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { NotFoundError } from '@talent/platform';
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
    disabledAt: u.disabledAt,
    createdAt: u.createdAt,
  });

@Injectable()
export class UsersService {
  constructor(private readonly dataSource: DataSource) {}

  /** A read outside any transaction (resolvers); a use case reads through its own transaction instead. */
  findById(id: string): Promise<UserRecord | null> {
    return this.dataSource.getRepository(UserRecord).findOneBy({ id });
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, UserRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(UserRecord).findBy({ id: In([...new Set(ids)]) });
    return new Map(rows.map((r) => [r.id, r]));
  }

  async getOrThrow(id: string): Promise<UserRecord> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundError('User');
    return user;
  }
}
