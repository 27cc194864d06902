import { RateUnitEnum } from '../jobs/job.model';
import { canonicalAmount } from '../money/money';
import type { ContractRecord } from './contract.entity';
import { ContractModel, ContractStatusEnum } from './contract.model';

export const toContractModel = (r: ContractRecord): ContractModel =>
  Object.assign(new ContractModel(), {
    id: r.id,
    jobId: r.jobId,
    talentId: r.talentId,
    clientId: r.clientId,
    rate: { amount: canonicalAmount(r.rate), currency: r.currency },
    unit: r.rateUnit as RateUnitEnum,
    estimatedValue: { amount: canonicalAmount(r.estimatedValue), currency: r.currency },
    status: r.status as ContractStatusEnum,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
  });
