import type { JobQueue } from '@talent/platform';
import { EventPublisher } from '@talent/platform';
import { GovernanceConfigSchema } from '../src/config';
import { GovernanceParameters, type ParameterKey } from '../src/parameters/governance-parameters';
import { CancelProposal } from '../src/proposals/cancel-proposal';
import { GovernanceClock } from '../src/shared/clock';
import { CreateProposal } from '../src/proposals/create-proposal';
import { ExecuteProposal } from '../src/proposals/execute-proposal';
import { ProposalLifecycle } from '../src/proposals/proposal-lifecycle';
import { ProposalScheduler } from '../src/proposals/proposal-scheduler';
import { ProposalTransitions } from '../src/proposals/proposal-transitions';
import { ProposalsReader } from '../src/proposals/proposals.reader';
import { TreasuryBalanceService } from '../src/treasury/treasury-balance.service';
import { CastVote } from '../src/votes/cast-vote';
import { TotalVotingPower } from '../src/votes/total-voting-power';
import { logger, openGovernance, type GovernanceHarness } from './harness';

/** The system clock moved by hand: `advance` jumps forward, `reset` comes back to the real time. */
export class TestClock extends GovernanceClock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Moves to `at` (from then on the clock runs on from there). */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

export interface ScheduledJob {
  name: string;
  data: { proposalId: string; transition: string; at: number };
  jobId: string;
  delay: number;
}

export interface ProposalsHarness extends GovernanceHarness {
  clock: TestClock;
  parameters: GovernanceParameters;
  createProposal: CreateProposal;
  castVote: CastVote;
  executeProposal: ExecuteProposal;
  cancelProposal: CancelProposal;
  lifecycle: ProposalLifecycle;
  reader: ProposalsReader;
  treasury: TreasuryBalanceService;
  totalPower: TotalVotingPower;
  /** Jobs the use cases asked the queue for (the queue itself is not run here: tests call the lifecycle). */
  scheduled: ScheduledJob[];
  /** Sets a parameter in force directly (as an executed proposal would). */
  setParameter(key: ParameterKey, value: string): Promise<void>;
  /** The events in the outbox for an aggregate (proposal id), oldest first. */
  outbox(aggregateId: string): Promise<Array<{ type: string; payload: Record<string, unknown> }>>;
}

/** Short periods, a 50% quorum and a threshold of 10 BTRST unless `env` says otherwise. */
const DEFAULT_ENV: Record<string, string> = {
  GOVERNANCE_VOTING_DELAY_SECONDS: '60',
  GOVERNANCE_VOTING_PERIOD_SECONDS: '3600',
  GOVERNANCE_MIN_VOTING_PERIOD_SECONDS: '60',
  GOVERNANCE_TIMELOCK_SECONDS: '600',
  GOVERNANCE_LATE_QUORUM_EXTENSION_SECONDS: '300',
  GOVERNANCE_GRACE_PERIOD_SECONDS: '3600',
  GOVERNANCE_QUORUM_FRACTION: '0.5',
  GOVERNANCE_PROPOSAL_THRESHOLD: '10',
};

/** A fresh governance database with the proposal use cases wired on it, a movable clock and a recording job queue. */
export async function openProposals(label: string, env: Record<string, string> = {}): Promise<ProposalsHarness> {
  const base = await openGovernance(label);
  const config = GovernanceConfigSchema.parse({ DATABASE_URL: base.db.url, KAFKA_BROKERS: '127.0.0.1:9', PROJECTION_WAIT_MS: '0', ...DEFAULT_ENV, ...env });
  const events = new EventPublisher();
  const parameters = new GovernanceParameters(config, base.dataSource, events);
  await parameters.onApplicationBootstrap();
  const clock = new TestClock();
  const scheduled: ScheduledJob[] = [];
  const jobs = {
    add: async (definition: { name: string }, data: ScheduledJob['data'], options: { jobId: string; delay: number }) => {
      scheduled.push({ name: definition.name, data, jobId: options.jobId, delay: options.delay });
      return options.jobId;
    },
    repeat: async () => undefined,
  } as unknown as JobQueue;
  const scheduler = new ProposalScheduler(clock, logger, jobs);
  const transitions = new ProposalTransitions(parameters, events, logger);
  const totalPower = new TotalVotingPower();
  const treasury = new TreasuryBalanceService();
  const pickConfig = { GOVERNANCE_MIN_VOTING_PERIOD_SECONDS: config.GOVERNANCE_MIN_VOTING_PERIOD_SECONDS, PROJECTION_WAIT_MS: 0 };
  return {
    ...base,
    clock,
    parameters,
    scheduled,
    totalPower,
    treasury,
    reader: new ProposalsReader(base.dataSource),
    createProposal: new CreateProposal(base.dataSource, base.members, base.power, totalPower, parameters, treasury, events, scheduler, clock, pickConfig),
    castVote: new CastVote(base.dataSource, base.power, totalPower, parameters, transitions, scheduler, events, clock),
    executeProposal: new ExecuteProposal(base.dataSource, parameters, transitions, scheduler, events, clock),
    cancelProposal: new CancelProposal(base.dataSource, transitions, events, clock),
    lifecycle: new ProposalLifecycle(base.dataSource, transitions, scheduler, clock, logger, { PROPOSAL_SWEEP_INTERVAL_MS: 60_000 }, jobs),
    setParameter: async (key, value) => {
      await base.sql(`UPDATE governance_parameters SET value = $2 WHERE key = $1`, [key, value]);
    },
    outbox: async (aggregateId) =>
      (await base.sql<{ type: string; envelope: { payload: Record<string, unknown> } }>(`SELECT type, envelope FROM outbox WHERE message_key = $1 ORDER BY seq`, [aggregateId])).map(
        (row) => ({ type: row.type, payload: row.envelope.payload }),
      ),
  };
}
