import { canonicalIn } from '@talent/platform';
import type { JobRecord } from './job.entity';
import { BudgetModel, JobModel, JobStatusEnum, RateUnitEnum } from './job.model';

export const toJobModel = (r: JobRecord): JobModel =>
  Object.assign(new JobModel(), {
    id: r.id,
    title: r.title,
    description: r.description,
    skills: r.skills,
    minYearsExperience: r.minYearsExperience,
    countries: r.countries,
    budget: Object.assign(new BudgetModel(), {
      min: { amount: canonicalIn(r.budgetMin, r.currency), currency: r.currency },
      max: { amount: canonicalIn(r.budgetMax, r.currency), currency: r.currency },
      unit: r.rateUnit as RateUnitEnum,
    }),
    rateTolerancePercent: r.rateTolerancePercent,
    hoursPerWeek: r.hoursPerWeek,
    durationWeeks: r.durationWeeks,
    status: r.status as JobStatusEnum,
    clientId: r.clientId,
    organizationId: r.organizationId,
    createdAt: r.createdAt,
  });
