import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  callerOf,
  charLength,
  compareMoney,
  EventPublisher,
  inUseCaseTransaction,
  isCountryCode,
  isUuid,
  MembershipProjection,
  MoneyInputSchema,
  parseCommand,
  type UseCase,
  type UseCaseContext,
  requireRole,
} from '@talent/platform';
import { OrganizationsService } from '../organizations/organizations.service';
import { JobRecord } from './job.entity';
import { publishJobPosted } from './job-events';

const LIMITS = {
  title: [3, 140],
  description: [10, 10_000],
  skills: [1, 20],
  skillLength: [1, 40],
  minYearsExperience: [0, 50],
  rateTolerancePercent: [0, 50],
  hoursPerWeek: [1, 80],
  durationWeeks: [1, 104],
} as const;

const text = ([min, max]: readonly [number, number]) =>
  z
    .string()
    .trim()
    .refine((value) => charLength(value) >= min && charLength(value) <= max, `must be ${min} to ${max} characters`);

const integer = ([min, max]: readonly [number, number]) =>
  z.number().int(`must be between ${min} and ${max}`).min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`);

/** Skills are trimmed, lower-cased, inner whitespace collapsed and de-duplicated (first occurrence kept). */
export function normalizeSkills(skills: readonly string[]): string[] {
  return [...new Set(skills.map((s) => s.trim().replace(/\s+/g, ' ').toLowerCase()))];
}

const [minSkillLength, maxSkillLength] = LIMITS.skillLength;
const [minSkills, maxSkills] = LIMITS.skills;

export const PostJobCommand = z.object({
  organizationId: z
    .string()
    .trim()
    .nullish()
    .transform((id) => id || null)
    .refine((id) => id === null || isUuid(id), 'must be an organization id (UUID)')
    .transform((id) => id?.toLowerCase() ?? null),
  title: text(LIMITS.title),
  description: text(LIMITS.description),
  skills: z
    .array(z.string())
    .transform(normalizeSkills)
    .refine(
      (skills) => skills.every((s) => charLength(s) >= minSkillLength && charLength(s) <= maxSkillLength),
      `each skill must be ${minSkillLength} to ${maxSkillLength} characters`,
    )
    .refine((skills) => skills.length >= minSkills && skills.length <= maxSkills, `give ${minSkills} to ${maxSkills} different skills`),
  minYearsExperience: integer(LIMITS.minYearsExperience),
  countries: z
    .array(z.string())
    .transform((codes) => [...new Set(codes.map((c) => c.trim().toUpperCase()))])
    .superRefine((codes, ctx) => {
      const unknown = codes.find((c) => !isCountryCode(c));
      if (unknown !== undefined) ctx.addIssue({ code: 'custom', message: `unknown country code "${unknown}" (ISO 3166-1 alpha-2 expected)` });
    }),
  budget: z
    .object({ min: MoneyInputSchema, max: MoneyInputSchema, unit: z.enum(['HOURLY', 'FIXED']) })
    .superRefine(({ min, max }, ctx) => {
      if (min.currency !== max.currency) {
        ctx.addIssue({ code: 'custom', path: ['max', 'currency'], message: `must be budget.min's currency (got ${min.currency} and ${max.currency})` });
      } else if (compareMoney(min, max) > 0) {
        ctx.addIssue({ code: 'custom', path: ['min', 'amount'], message: 'must not exceed budget.max' });
      }
    })
    .transform(({ min, max, unit }) => ({ min: min.amount, max: max.amount, currency: min.currency, unit })),
  /** A proposed rate may be at most budget.max x (1 + rateTolerancePercent / 100), never below budget.min; absent means 0. */
  rateTolerancePercent: integer(LIMITS.rateTolerancePercent)
    .nullish()
    .transform((percent) => percent ?? 0),
  hoursPerWeek: integer(LIMITS.hoursPerWeek),
  durationWeeks: integer(LIMITS.durationWeeks),
});

/**
 * Use case: a member with the CLIENT role posts a job, under an organization only if they are
 * one of its members. Projections a moment behind (membership, organization) are waited for,
 * outside the transaction. A refused post creates nothing.
 */
@Injectable()
export class PostJob implements UseCase<z.input<typeof PostJobCommand>, JobRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly membership: MembershipProjection,
    private readonly organizations: OrganizationsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof PostJobCommand>): Promise<JobRecord> {
    const caller = callerOf(ctx);
    requireRole(caller, 'CLIENT');
    const command = parseCommand(PostJobCommand, input);
    await Promise.all([
      this.membership.waitUntilMember(caller.id),
      command.organizationId ? this.organizations.waitUntilKnown(command.organizationId) : undefined,
    ]);
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      await this.membership.requireMember(tx, caller.id, 'post jobs');
      if (command.organizationId) await this.organizations.requirePoster(tx, command.organizationId, caller.id);
      // Milliseconds, like the column (timestamptz(3)): what is returned is what is stored.
      const now = new Date();
      const job = tx.getRepository(JobRecord).create({
        id: randomUUID(),
        clientId: caller.id,
        organizationId: command.organizationId,
        title: command.title,
        description: command.description,
        skills: command.skills,
        minYearsExperience: command.minYearsExperience,
        countries: command.countries,
        budgetMin: command.budget.min,
        budgetMax: command.budget.max,
        currency: command.budget.currency,
        rateUnit: command.budget.unit,
        rateTolerancePercent: command.rateTolerancePercent,
        hoursPerWeek: command.hoursPerWeek,
        durationWeeks: command.durationWeeks,
        status: 'OPEN',
        createdAt: now,
        closedAt: null,
      });
      await tx.getRepository(JobRecord).insert(job);
      await publishJobPosted(this.events, tx, job, now, ctx.traceparent);
      return job;
    });
  }
}
