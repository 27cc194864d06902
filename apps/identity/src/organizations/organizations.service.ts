import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { UserRecord } from '../users/user.entity';
import { OrganizationMemberRecord, OrganizationRecord } from './organization.entity';
import { OrganizationModel } from './organization.model';

export const toOrganizationModel = (o: OrganizationRecord): OrganizationModel =>
  Object.assign(new OrganizationModel(), { id: o.id, name: o.name, createdAt: o.createdAt });

/** Reads of organizations (creating one is the CreateOrganization use case). */
@Injectable()
export class OrganizationsService {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<OrganizationModel | null> {
    const org = await this.dataSource.getRepository(OrganizationRecord).findOneBy({ id });
    return org ? toOrganizationModel(org) : null;
  }

  /** Organizations by id (lower-case UUIDs) in one query; unknown ids are absent. */
  async findByIds(ids: readonly string[]): Promise<Map<string, OrganizationModel>> {
    const orgs = await this.dataSource.getRepository(OrganizationRecord).findBy({ id: In([...ids]) });
    return new Map(orgs.map((o) => [o.id, toOrganizationModel(o)]));
  }

  async forUser(userId: string): Promise<OrganizationModel[]> {
    const rows = await this.dataSource
      .getRepository(OrganizationRecord)
      .createQueryBuilder('o')
      .innerJoin(OrganizationMemberRecord, 'm', 'm.organization_id = o.id')
      .where('m.user_id = :userId', { userId })
      .orderBy('o.created_at', 'ASC')
      .getMany();
    return rows.map(toOrganizationModel);
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
