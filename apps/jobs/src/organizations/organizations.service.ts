import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { OrganizationCreated, PayloadOf } from '@talent/events';
import { APP_CONFIG, awaitProjection, ForbiddenError, NotFoundError } from '@talent/platform';
import type { JobsConfig } from '../config';
import { OrganizationMemberRecord, OrganizationRecord } from './organization.entity';

/** Organization membership as jobs knows it: the projection of identity's organization events. */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: JobsConfig,
  ) {}

  /** Records a new organization and its owner; a replayed event changes nothing. */
  async recordCreated(tx: EntityManager, created: PayloadOf<typeof OrganizationCreated>): Promise<void> {
    await tx.query(`INSERT INTO organizations (id, owner_id, created_at, recorded_at) VALUES ($1, $2, $3, now()) ON CONFLICT (id) DO NOTHING`, [
      created.organizationId,
      created.ownerId,
      created.createdAt,
    ]);
    await tx.query(`INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'OWNER') ON CONFLICT DO NOTHING`, [
      created.organizationId,
      created.ownerId,
    ]);
  }

  /**
   * Projection lag: an organization created a moment ago in identity reaches jobs through
   * Kafka, usually within a second. Rather than refuse the post that follows its creation,
   * wait for it a bounded time (PROJECTION_WAIT_MS, outside any transaction); an id still
   * unknown after that is refused by `requirePoster` as NOT_FOUND.
   */
  async waitUntilKnown(organizationId: string): Promise<void> {
    await awaitProjection(() => this.dataSource.getRepository(OrganizationRecord).existsBy({ id: organizationId }), {
      timeoutMs: this.config.PROJECTION_WAIT_MS,
    });
  }

  /** NOT_FOUND for an organization jobs does not know; FORBIDDEN unless the user is one of its members. */
  async requirePoster(tx: EntityManager, organizationId: string, userId: string): Promise<void> {
    if (!(await tx.getRepository(OrganizationRecord).existsBy({ id: organizationId }))) throw new NotFoundError('Organization');
    if (!(await tx.getRepository(OrganizationMemberRecord).existsBy({ organizationId, userId }))) {
      throw new ForbiddenError('Only members of an organization may post jobs under it');
    }
  }
}
