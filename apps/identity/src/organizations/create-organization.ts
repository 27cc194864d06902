import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { OrganizationCreated } from '@talent/events';
import { callerOf, EventPublisher, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { OrganizationMemberRecord, OrganizationRecord } from './organization.entity';
import { OrganizationModel } from './organization.model';
import { toOrganizationModel } from './organizations.service';

const CreateOrganizationCommand = z.object({ name: z.string().trim().min(2, 'must be 2 to 120 characters').max(120, 'must be 2 to 120 characters') });

/**
 * Use case: any signed-in user creates an organization and becomes its owner.
 * OrganizationCreated tells jobs who may post under it.
 */
@Injectable()
export class CreateOrganization implements UseCase<z.input<typeof CreateOrganizationCommand>, OrganizationModel> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof CreateOrganizationCommand>): Promise<OrganizationModel> {
    const caller = callerOf(ctx);
    const { name } = parseCommand(CreateOrganizationCommand, input);
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const now = new Date();
      const org = tx.getRepository(OrganizationRecord).create({ id: randomUUID(), name, createdBy: caller.id, createdAt: now });
      await tx.getRepository(OrganizationRecord).insert(org);
      await tx.getRepository(OrganizationMemberRecord).insert({ organizationId: org.id, userId: caller.id, role: 'OWNER', joinedAt: now });
      await this.events.publish(
        tx,
        OrganizationCreated,
        { organizationId: org.id, ownerId: caller.id, createdAt: now.toISOString() },
        { traceparent: ctx.traceparent },
      );
      return toOrganizationModel(org);
    });
  }
}
