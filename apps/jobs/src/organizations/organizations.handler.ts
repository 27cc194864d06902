import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrganizationCreated, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordOrganization } from './record-organization';

/** Consumes identity.events.v1: organizations and their members, for postJob's check. */
@Injectable()
export class OrganizationsHandler {
  constructor(private readonly recordOrganization: RecordOrganization) {}

  @OnEvent(OrganizationCreated)
  async onOrganizationCreated(event: EnvelopeOf<typeof OrganizationCreated>, tx: EntityManager): Promise<void> {
    await this.recordOrganization.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}
