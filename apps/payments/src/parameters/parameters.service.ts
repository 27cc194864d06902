import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BadUserInputError, GovernedParameters, type ParameterOwner } from '@talent/platform';
import { isFeeRate, parseFeeRate, type FeeRate } from './fee-rate';

export const FEE_RATE_KEY = 'platform.feeRate';

/**
 * The parameter payments owns (`platform.feeRate`, see ParameterChangedHandler): invoices submitted
 * after a change use the new value, and each invoice keeps the rate it was priced at. A value
 * payments cannot apply is refused for good (dead letter, for ops).
 */
export const feeRateParameter: ParameterOwner = {
  owns: (key) => key === FEE_RATE_KEY,
  canonical: (_tx, key, value) => {
    if (!isFeeRate(value)) throw new BadUserInputError(`${key} must be a decimal between 0 and 1 with at most 4 decimals, got "${value}"`, 'value');
    return parseFeeRate(value).text;
  },
};

/** Network parameters payments applies to new work; seeded by the migration, changed later by governance. */
@Injectable()
export class ParametersService {
  constructor(private readonly parameters: GovernedParameters) {}

  /** The current platform fee rate, read in the caller's transaction (each submission uses the value of its time). */
  async feeRate(tx: EntityManager): Promise<FeeRate> {
    const value = await this.parameters.valueOf(tx, FEE_RATE_KEY);
    if (value === null) throw new Error(`parameter ${FEE_RATE_KEY} is missing (the schema migration seeds it)`);
    return parseFeeRate(value);
  }
}
