import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RewardPolicyRecord } from './policy.entity';

/** Policy keys the event handlers pay under. Their amounts and rates live in `reward_policies`. */
export const PolicyKeys = {
  talentScreened: 'talent.screened',
  fiveStarRating: 'rating.five_star',
  connectorReferral: 'connector.referral',
  connectorClientReferral: 'connector.client_referral',
} as const;

export type PolicyKey = (typeof PolicyKeys)[keyof typeof PolicyKeys];

@Injectable()
export class PoliciesService {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<RewardPolicyRecord[]> {
    return this.dataSource.getRepository(RewardPolicyRecord).find({ order: { key: 'ASC' } });
  }

  /** The rate converting one unit of `currency` into `quote`, or null when none is known. */
  async fxRate(tx: EntityManager, currency: string, quote: string): Promise<string | null> {
    if (currency === quote) return '1';
    const rows: Array<{ rate: string }> = await tx.query(`SELECT rate::text AS rate FROM fx_rates WHERE currency = $1 AND quote_currency = $2`, [
      currency,
      quote,
    ]);
    return rows[0]?.rate ?? null;
  }
}
