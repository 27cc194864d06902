import { canonicalIn } from '@talent/platform';
import { RateUnitEnum } from '../jobs/job.model';
import type { ContractRecord } from './contract.entity';
import { ContractModel, ContractStatusEnum } from './contract.model';

export const toContractModel = (r: ContractRecord): ContractModel =>
  Object.assign(new ContractModel(), {
    id: r.id,
    jobId: r.jobId,
    talentId: r.talentId,
    clientId: r.clientId,
    rate: { amount: canonicalIn(r.rate, r.currency), currency: r.currency },
    unit: r.rateUnit as RateUnitEnum,
    estimatedValue: { amount: canonicalIn(r.estimatedValue, r.currency), currency: r.currency },
    status: r.status as ContractStatusEnum,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
  });
