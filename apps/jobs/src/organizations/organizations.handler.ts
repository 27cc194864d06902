import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrganizationCreated, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { OrganizationsService } from './organizations.service';

/** Consumes identity.events.v1: organizations and their members, for postJob's check. */
@Injectable()
export class OrganizationsHandler {
  constructor(private readonly organizations: OrganizationsService) {}

  @OnEvent(OrganizationCreated)
  async onOrganizationCreated(event: EnvelopeOf<typeof OrganizationCreated>, tx: EntityManager): Promise<void> {
    await this.organizations.recordCreated(tx, event.payload);
  }
}
