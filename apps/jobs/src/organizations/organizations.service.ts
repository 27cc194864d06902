import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, awaitProjection, ForbiddenError, NotFoundError } from '@talent/platform';
import type { JobsConfig } from '../config';
import { OrganizationMemberRecord, OrganizationRecord } from './organization.entity';

/** Organization membership as jobs knows it (the projection of identity's events; recorded by record-organization.ts). */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: JobsConfig,
  ) {}

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
