import type { AddedJob } from '@talent/testing';
import { GovernanceParameters, type ParameterKey } from '../src/parameters/governance-parameters';
import { AdvanceProposal } from '../src/proposals/advance-proposal';
import { CancelProposal } from '../src/proposals/cancel-proposal';
import { GovernanceClock } from '../src/shared/clock';
import { CreateProposal } from '../src/proposals/create-proposal';
import { ExecuteProposal } from '../src/proposals/execute-proposal';
import { ProposalLifecycle } from '../src/proposals/proposal-lifecycle';
import { ProposalsReader } from '../src/proposals/proposals.reader';
import { RecordTreasuryBalance } from '../src/treasury/record-treasury-balance';
import { TreasuryBalanceService } from '../src/treasury/treasury-balance.service';
import { CastVote } from '../src/votes/cast-vote';
import { TotalVotingPower } from '../src/votes/total-voting-power';
import { openGovernance, type GovernanceHarness } from './harness';

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

export interface ProposalsHarness extends GovernanceHarness {
  clock: TestClock;
  parameters: GovernanceParameters;
  createProposal: CreateProposal;
  castVote: CastVote;
  executeProposal: ExecuteProposal;
  cancelProposal: CancelProposal;
  advanceProposal: AdvanceProposal;
  lifecycle: ProposalLifecycle;
  reader: ProposalsReader;
  treasury: TreasuryBalanceService;
  recordTreasuryBalance: RecordTreasuryBalance;
  totalPower: TotalVotingPower;
  /** Jobs the use cases added to the queue (held: tests advance proposals and run the lifecycle themselves). */
  scheduled: AddedJob[];
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

/** The governance service with short periods, on a clock the test moves; its queue held so that tests call the lifecycle. */
export async function openProposals(label: string, env: Record<string, string> = {}): Promise<ProposalsHarness> {
  const clock = new TestClock();
  const base = await openGovernance(label, {
    env: { ...DEFAULT_ENV, ...env },
    override: (builder) => builder.overrideProvider(GovernanceClock).useValue(clock),
  });
  const get = <T>(type: new (...args: any[]) => T): T => base.app.get(type);
  return {
    ...base,
    clock,
    parameters: get(GovernanceParameters),
    scheduled: base.jobs,
    totalPower: get(TotalVotingPower),
    treasury: get(TreasuryBalanceService),
    recordTreasuryBalance: get(RecordTreasuryBalance),
    reader: get(ProposalsReader),
    createProposal: get(CreateProposal),
    castVote: get(CastVote),
    executeProposal: get(ExecuteProposal),
    cancelProposal: get(CancelProposal),
    advanceProposal: get(AdvanceProposal),
    lifecycle: get(ProposalLifecycle),
    setParameter: async (key, value) => {
      await base.sql(`UPDATE governance_parameters SET value = $2 WHERE key = $1`, [key, value]);
    },
    outbox: async (aggregateId) =>
      (
        await base.sql<{ type: string; envelope: { payload: Record<string, unknown> } }>(
          `SELECT type, envelope FROM outbox WHERE message_key = $1 ORDER BY seq`,
          [aggregateId],
        )
      ).map((row) => ({ type: row.type, payload: row.envelope.payload })),
  };
}
