import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { parseFeeRate, type FeeRate } from '../money/money';

export const FEE_RATE_KEY = 'platform.feeRate';

/** Network parameters payments applies to new work; seeded by the migration, changed later by governance. */
@Injectable()
export class ParametersService {
  /** The current platform fee rate, read in the caller's transaction (each submission uses the value of its time). */
  async feeRate(tx: EntityManager): Promise<FeeRate> {
    const rows: Array<{ value: string }> = await tx.query(`SELECT value FROM parameters WHERE key = $1`, [FEE_RATE_KEY]);
    if (rows.length === 0) throw new Error(`parameter ${FEE_RATE_KEY} is missing (the schema migration seeds it)`);
    return parseFeeRate(rows[0].value);
  }
}
