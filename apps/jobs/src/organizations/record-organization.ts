import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { OrganizationCreated } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';

const RecordOrganizationCommand = OrganizationCreated.schema;

/** Use case (the system's, on OrganizationCreated): records a new organization and its owner, for postJob's check; a replayed event changes nothing. */
@Injectable()
export class RecordOrganization implements UseCase<z.input<typeof RecordOrganizationCommand>, void> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordOrganizationCommand>): Promise<void> {
    assertSystem(ctx, 'RecordOrganization');
    const created = parseCommand(RecordOrganizationCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      await tx.query(`INSERT INTO organizations (id, owner_id, created_at, recorded_at) VALUES ($1, $2, $3, now()) ON CONFLICT (id) DO NOTHING`, [
        created.organizationId,
        created.ownerId,
        created.createdAt,
      ]);
      await tx.query(`INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'OWNER') ON CONFLICT DO NOTHING`, [
        created.organizationId,
        created.ownerId,
      ]);
    });
  }
}
