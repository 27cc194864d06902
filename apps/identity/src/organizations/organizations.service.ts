import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { OrganizationCreated } from '@talent/events';
import { BadUserInputError, EventPublisher, inTransaction, type AuthUser } from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { OrganizationMemberRecord, OrganizationRecord } from './organization.entity';
import { OrganizationModel } from './organization.model';

const toModel = (o: OrganizationRecord): OrganizationModel => Object.assign(new OrganizationModel(), { id: o.id, name: o.name, createdAt: o.createdAt });

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  /**
   * Any signed-in user may create an organization; they become its owner. OrganizationCreated
   * tells jobs who may post under it.
   */
  create(caller: AuthUser, nameInput: string, traceparent?: string): Promise<OrganizationModel> {
    const name = nameInput.trim();
    if (name.length < 2 || name.length > 120) throw new BadUserInputError('name must be 2 to 120 characters', 'name');
    return inTransaction(this.dataSource, async (tx) => {
      const now = new Date();
      const org = tx.getRepository(OrganizationRecord).create({ id: randomUUID(), name, createdBy: caller.id, createdAt: now });
      await tx.getRepository(OrganizationRecord).insert(org);
      await tx.getRepository(OrganizationMemberRecord).insert({ organizationId: org.id, userId: caller.id, role: 'OWNER', joinedAt: now });
      await this.events.publish(tx, OrganizationCreated, { organizationId: org.id, ownerId: caller.id, createdAt: now.toISOString() }, { traceparent });
      return toModel(org);
    });
  }

  async findById(id: string): Promise<OrganizationModel | null> {
    const org = await this.dataSource.getRepository(OrganizationRecord).findOneBy({ id });
    return org ? toModel(org) : null;
  }

  /** Organizations by id (lower-case UUIDs) in one query; unknown ids are absent. */
  async findByIds(ids: readonly string[]): Promise<Map<string, OrganizationModel>> {
    const orgs = await this.dataSource.getRepository(OrganizationRecord).findBy({ id: In([...ids]) });
    return new Map(orgs.map((o) => [o.id, toModel(o)]));
  }

  async forUser(userId: string): Promise<OrganizationModel[]> {
    const rows = await this.dataSource
      .getRepository(OrganizationRecord)
      .createQueryBuilder('o')
      .innerJoin(OrganizationMemberRecord, 'm', 'm.organization_id = o.id')
      .where('m.user_id = :userId', { userId })
      .orderBy('o.created_at', 'ASC')
      .getMany();
    return rows.map(toModel);
  }

  async members(organizationId: string): Promise<UserRecord[]> {
    return this.dataSource
      .getRepository(UserRecord)
      .createQueryBuilder('u')
      .innerJoin(OrganizationMemberRecord, 'm', 'm.user_id = u.id')
      .where('m.organization_id = :organizationId', { organizationId })
      .orderBy('m.joined_at', 'ASC')
      .getMany();
  }
}
