import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureMembersTable } from '@talent/platform';

/** The members projection moves to libs/platform (MembershipProjection): its table, brought to the one shape. */
export class MembersOneShape1737100000000 implements MigrationInterface {
  name = 'MembersOneShape1737100000000';

  async up(q: QueryRunner): Promise<void> {
    await ensureMembersTable(q);
  }

  async down(): Promise<void> {
    // Nothing to undo: the shape is the one the earlier migrations created.
  }
}
