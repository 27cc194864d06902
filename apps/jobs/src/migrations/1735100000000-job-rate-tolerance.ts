import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A job's rate tolerance: how far above its budget's max (whole percent, 0..50) the client
 * accepts a proposed rate. Existing jobs get 0: their budget is the limit.
 */
export class JobRateTolerance1735100000000 implements MigrationInterface {
  name = 'JobRateTolerance1735100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE jobs ADD COLUMN rate_tolerance_percent int NOT NULL DEFAULT 0
        CONSTRAINT jobs_rate_tolerance_percent_check CHECK (rate_tolerance_percent BETWEEN 0 AND 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP COLUMN rate_tolerance_percent`);
  }
}
