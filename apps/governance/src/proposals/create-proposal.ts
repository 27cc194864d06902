import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ProposalCreated } from '@talent/events';
import {
  APP_CONFIG,
  BadUserInputError,
  callerOf,
  canonicalTokens,
  charLength,
  EventPublisher,
  fromUnits,
  InsufficientFundsError,
  inUseCaseTransaction,
  isUuid,
  MembershipProjection,
  parseCommand,
  PreconditionFailedError,
  tokenAmountSchema,
  toUnits,
  type UseCase,
  type UseCaseContext,
  assertOwnTransaction,
} from '@talent/platform';
import type { GovernanceConfig } from '../config';
import { VotingPowerService } from '../delegation/voting-power.service';
import { GovernanceParameters, type ParameterKey } from '../parameters/governance-parameters';
import { TreasuryBalanceService } from '../treasury/treasury-balance.service';
import { TotalVotingPower } from '../votes/total-voting-power';
import { GovernanceClock } from '../shared/clock';
import { ProposalScheduler } from './proposal-scheduler';
import { secondsOf } from './proposal-transitions';
import { ProposalRecord } from './proposal.entity';

const PROPOSAL_LIMITS = {
  title: [3, 200],
  description: [1, 20_000],
  parameterChanges: [1, 10],
  /** 60 days, the governance.votingPeriodSeconds parameter's maximum. The minimum is GOVERNANCE_MIN_VOTING_PERIOD_SECONDS. */
  maxVotingPeriodSeconds: 60 * 24 * 3600,
} as const;

const text = (field: 'title' | 'description') => {
  const [min, max] = PROPOSAL_LIMITS[field];
  return z
    .string()
    .trim()
    .refine((value) => charLength(value) >= min && charLength(value) <= max, `must be ${min} to ${max} characters`);
};

/**
 * A positive token amount, in canonical form. Uncapped: a grant beyond NUMERIC(36,18) exceeds any
 * treasury, so it is refused as INSUFFICIENT_FUNDS like any other grant the treasury cannot cover.
 */
const grantAmount = tokenAmountSchema({ capped: false }).transform(fromUnits);

/** The command's shape (parameter values are checked by GovernanceParameters, the grant's recipient and amount against the projections). */
const createProposalCommand = (minVotingPeriodSeconds: number) => {
  const period = `must be between ${minVotingPeriodSeconds} and ${PROPOSAL_LIMITS.maxVotingPeriodSeconds}`;
  return z
    .object({
      title: text('title'),
      description: text('description'),
      kind: z.enum(['TEXT', 'PARAMETER_CHANGE', 'GRANT']),
      parameterChanges: z
        .array(z.object({ key: z.string().trim(), value: z.string().trim() }))
        .nullish()
        .transform((changes) => changes ?? []),
      grant: z
        .object({
          recipientId: z
            .string()
            .refine(isUuid, 'must be a user id (UUID)')
            .transform((id) => id.toLowerCase()),
          amount: grantAmount,
        })
        .nullish()
        .transform((grant) => grant ?? null),
      /** Null: the governance.votingPeriodSeconds parameter. */
      votingPeriodSeconds: z
        .number()
        .int(period)
        .min(minVotingPeriodSeconds, period)
        .max(PROPOSAL_LIMITS.maxVotingPeriodSeconds, period)
        .nullish()
        .transform((seconds) => seconds ?? null),
    })
    .superRefine(({ kind, parameterChanges, grant }, ctx) => {
      const [min, max] = PROPOSAL_LIMITS.parameterChanges;
      if (kind !== 'PARAMETER_CHANGE' && parameterChanges.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['parameterChanges'], message: `a ${kind} proposal changes no parameters` });
      } else if (kind === 'PARAMETER_CHANGE' && (parameterChanges.length < min || parameterChanges.length > max)) {
        ctx.addIssue({ code: 'custom', path: ['parameterChanges'], message: `a PARAMETER_CHANGE proposal changes ${min} to ${max} parameters` });
      } else if (new Set(parameterChanges.map((c) => c.key)).size !== parameterChanges.length) {
        ctx.addIssue({ code: 'custom', path: ['parameterChanges'], message: 'each parameter may be changed once per proposal' });
      }
      if (kind !== 'GRANT' && grant) ctx.addIssue({ code: 'custom', path: ['grant'], message: `a ${kind} proposal carries no grant` });
      if (kind === 'GRANT' && !grant) ctx.addIssue({ code: 'custom', path: ['grant'], message: 'a GRANT proposal needs grant { recipientId amount }' });
    });
};

/** What createProposal receives (the GraphQL input's shape). */
export type CreateProposalRequest = z.input<ReturnType<typeof createProposalCommand>>;

/**
 * Use case: a member proposes.
 * - The proposer's voting power at creation must reach `governance.proposalThreshold`
 *   (PRECONDITION_FAILED otherwise, like a missing KYC: a state the caller can change).
 * - PARAMETER_CHANGE: known keys with values in range (GovernanceParameters.validate, BAD_USER_INPUT);
 *   stored in canonical form. GRANT: the recipient a member (BAD_USER_INPUT on grant.recipientId),
 *   the amount at most the treasury's last known balance (INSUFFICIENT_FUNDS).
 * - snapshotAt = now: voting power and the quorum are read at this instant, so tokens received
 *   or delegated afterwards do not count. PENDING until the voting delay has passed (ACTIVE at
 *   once when it is 0); quorum = governance.quorumFraction x the members' total power at snapshotAt,
 *   rounded up to 18 decimals.
 */
@Injectable()
export class CreateProposal implements UseCase<CreateProposalRequest, ProposalRecord> {
  private readonly commandSchema: ReturnType<typeof createProposalCommand>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly membership: MembershipProjection,
    private readonly power: VotingPowerService,
    private readonly totalPower: TotalVotingPower,
    private readonly parameters: GovernanceParameters,
    private readonly treasury: TreasuryBalanceService,
    private readonly events: EventPublisher,
    private readonly scheduler: ProposalScheduler,
    private readonly clock: GovernanceClock,
    @Optional() @Inject(APP_CONFIG) config?: Pick<GovernanceConfig, 'GOVERNANCE_MIN_VOTING_PERIOD_SECONDS'>,
  ) {
    this.commandSchema = createProposalCommand(config?.GOVERNANCE_MIN_VOTING_PERIOD_SECONDS ?? 1);
  }

  async execute(ctx: UseCaseContext, input: CreateProposalRequest): Promise<ProposalRecord> {
    assertOwnTransaction(ctx, 'CreateProposal');
    const caller = callerOf(ctx);
    const command = parseCommand(this.commandSchema, input);
    const parameterChanges = command.parameterChanges.map(({ key, value }) => ({ key, value: this.parameters.validate(key, value) }));
    const proposerId = caller.id.toLowerCase();
    // Members approved a moment ago may not be in governance's projection yet: wait for them, outside the transaction.
    await Promise.all([this.membership.waitUntilMember(proposerId), command.grant ? this.membership.waitUntilMember(command.grant.recipientId) : undefined]);

    const proposal = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const now = this.clock.now();
      await this.membership.requireMember(tx, proposerId, 'propose');
      const param = (key: ParameterKey) => this.parameters.get(tx, key);
      const threshold = await param('governance.proposalThreshold');
      const power = await this.power.votingPowerAt(tx, proposerId, now);
      if (toUnits(power) < toUnits(threshold) || toUnits(power) === 0n) {
        throw new PreconditionFailedError(
          `Proposing needs a voting power of at least ${canonicalTokens(threshold)} BTRST (and more than 0); yours is ${power}`,
        );
      }
      if (command.grant) {
        if (!(await this.membership.isMember(tx, command.grant.recipientId))) {
          throw new BadUserInputError('grant.recipientId must be a member (KYC approved)', 'grant.recipientId');
        }
        if (!(await this.treasury.covers(tx, command.grant.amount))) {
          throw new InsufficientFundsError(`The grant exceeds the DAO treasury (${await this.treasury.balance(tx)} BTRST)`);
        }
      }
      const delay = secondsOf(await param('governance.votingDelaySeconds'), 'governance.votingDelaySeconds');
      const period = command.votingPeriodSeconds ?? secondsOf(await param('governance.votingPeriodSeconds'), 'governance.votingPeriodSeconds');
      const total = await this.totalPower.at(tx, now);
      const [{ quorum }] = (await tx.query(`SELECT trim_scale(ceil($1::numeric * $2::numeric * 1e18) / 1e18)::text AS quorum`, [
        await param('governance.quorumFraction'),
        total,
      ])) as Array<{ quorum: string }>;
      const startsAt = new Date(now.getTime() + delay * 1000);
      const record = Object.assign(new ProposalRecord(), {
        id: randomUUID(),
        proposerId,
        title: command.title,
        description: command.description,
        kind: command.kind,
        parameterChanges,
        grantRecipientId: command.grant?.recipientId ?? null,
        grantAmount: command.grant?.amount ?? null,
        status: delay === 0 ? 'ACTIVE' : 'PENDING',
        snapshotAt: now,
        startsAt,
        endsAt: new Date(startsAt.getTime() + period * 1000),
        totalPower: total,
        quorum,
        forVotes: '0',
        againstVotes: '0',
        abstainVotes: '0',
        quorumReachedAt: null,
        extendedByLateQuorum: false,
        decidedAt: null,
        queuedAt: null,
        executableAt: null,
        expiresAt: null,
        executedAt: null,
        executedBy: null,
        canceledAt: null,
        canceledBy: null,
        canceledByGuardian: null,
        cancelReason: null,
        createdAt: now,
        updatedAt: now,
      } satisfies ProposalRecord);
      await tx.getRepository(ProposalRecord).insert(record);
      await this.events.publish(
        tx,
        ProposalCreated,
        {
          proposalId: record.id,
          proposerId,
          kind: record.kind,
          title: record.title,
          parameterChanges,
          grant: command.grant,
          snapshotAt: record.snapshotAt.toISOString(),
          startsAt: record.startsAt.toISOString(),
          endsAt: record.endsAt.toISOString(),
          quorum,
          createdAt: now.toISOString(),
        },
        { traceparent: ctx.traceparent },
      );
      return record;
    });
    await this.scheduler.schedule(proposal);
    return proposal;
  }
}
