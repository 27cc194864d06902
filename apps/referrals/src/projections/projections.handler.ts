import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApplicationSubmitted, JobClosed, JobPosted, RoleGranted, UserRegistered, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { ProjectionsService } from './projections.service';

/** Feeds the users, jobs and applications projections from identity's and jobs' events (members: MembershipHandler). */
@Injectable()
export class ProjectionsHandler {
  constructor(private readonly projections: ProjectionsService) {}

  @OnEvent(UserRegistered)
  async onUserRegistered(event: EnvelopeOf<typeof UserRegistered>, tx: EntityManager): Promise<void> {
    await this.projections.recordUser(tx, event.payload);
  }

  @OnEvent(RoleGranted)
  async onRoleGranted(event: EnvelopeOf<typeof RoleGranted>, tx: EntityManager): Promise<void> {
    await this.projections.recordRole(tx, event.payload);
  }

  @OnEvent(JobPosted)
  async onJobPosted(event: EnvelopeOf<typeof JobPosted>, tx: EntityManager): Promise<void> {
    await this.projections.recordJobPosted(tx, event.payload);
  }

  @OnEvent(JobClosed)
  async onJobClosed(event: EnvelopeOf<typeof JobClosed>, tx: EntityManager): Promise<void> {
    await this.projections.recordJobClosed(tx, event.payload);
  }

  @OnEvent(ApplicationSubmitted)
  async onApplicationSubmitted(event: EnvelopeOf<typeof ApplicationSubmitted>, tx: EntityManager): Promise<void> {
    await this.projections.recordApplication(tx, event.payload);
  }
}
