import { randomUUID } from 'node:crypto';
import { ContractStarted, createEvent, JobReferralCreated, ReferralAttributed, type EventEnvelope, type Role } from '@talent/events';
import { inTransaction, type UseCaseContext } from '@talent/platform';
import { ApplyJuryDeadline } from '../src/disputes/apply-jury-deadline';
import { CastJuryVote } from '../src/disputes/cast-jury-vote';
import { DisputesReader } from '../src/disputes/disputes.reader';
import { JuryDeadlineJob } from '../src/disputes/jury.jobs';
import { JuryService } from '../src/disputes/jury.service';
import { OpenDispute } from '../src/disputes/open-dispute';
import { GovernanceParameters } from '../src/parameters/governance-parameters';
import { GovernanceClock } from '../src/shared/clock';
import { addMember, balanceChanged, openGovernance, type GovernanceHarness } from './harness';

/** A clock the test moves. */
export class TestClock extends GovernanceClock {
  constructor(private current: Date) {
    super();
  }

  override now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface DisputesHarness extends GovernanceHarness {
  clock: TestClock;
  parameters: GovernanceParameters;
  jury: JuryService;
  open: OpenDispute;
  vote: CastJuryVote;
  deadline: ApplyJuryDeadline;
  reader: DisputesReader;
}

/** The governance service with juries of 3 voting for an hour, on a clock the test moves. */
export async function openDisputes(label: string, env: Record<string, string> = {}): Promise<DisputesHarness> {
  // Now, at the database's clock: balances recorded "a minute ago" count at the draw instant.
  const clock = new TestClock(new Date());
  const h = await openGovernance(label, {
    env: { GOVERNANCE_JURY_SIZE: '3', GOVERNANCE_JURY_VOTING_PERIOD_SECONDS: '3600', ...env },
    override: (builder) => builder.overrideProvider(GovernanceClock).useValue(clock),
  });
  return {
    ...h,
    clock,
    parameters: h.app.get(GovernanceParameters),
    jury: h.app.get(JuryService),
    open: h.app.get(OpenDispute),
    vote: h.app.get(CastJuryVote),
    deadline: h.app.get(ApplyJuryDeadline),
    reader: h.app.get(DisputesReader),
  };
}

/** The jury deadline jobs the service added, oldest first. */
export const juryDeadlines = (h: DisputesHarness) => h.jobs.filter((job) => job.name === JuryDeadlineJob.name);

/** The deadline job of a dispute's round as the jury scheduler adds it (delayed until `voteBy`). */
export const deadlineJob = (disputeId: string, round: number, voteBy: Date) => ({
  name: JuryDeadlineJob.name,
  data: { disputeId },
  jobId: `jury-${disputeId}-${round}-${voteBy.getTime()}`,
  delay: expect.any(Number),
});

/** The use-case context of a signed-in user. */
export const as = (id: string, roles: Role[] = ['TALENT']): UseCaseContext => ({ caller: { id, roles } });

/** A member holding `balance` BTRST since a minute before the harness clock. */
export async function holder(h: DisputesHarness, balance: string): Promise<string> {
  const id = await addMember(h);
  await balanceChanged(h, id, balance, new Date(h.clock.now().getTime() - 60_000));
  return id;
}

/** A contract as jobs' ContractStarted announces it; returns its id. */
export async function contract(h: DisputesHarness, talentId: string, clientId: string): Promise<string> {
  const contractId = randomUUID();
  await h.deliver(
    createEvent(ContractStarted, {
      contractId,
      jobId: randomUUID(),
      applicationId: randomUUID(),
      clientId,
      talentId,
      rate: { amount: '80.00', currency: 'USD' },
      unit: 'HOURLY',
      estimatedValue: { amount: '9600.00', currency: 'USD' },
      clientFirstHire: false,
      appliedAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
    }) as EventEnvelope,
  );
  return contractId;
}

/** A signup referral: `connectorId` referred `referredId`. */
export async function referred(h: DisputesHarness, connectorId: string, referredId: string, kind: 'SIGNUP' | 'JOB' = 'SIGNUP'): Promise<void> {
  const at = new Date().toISOString();
  await h.deliver(
    (kind === 'SIGNUP'
      ? createEvent(ReferralAttributed, { referralId: randomUUID(), connectorId, referredUserId: referredId, kind: 'TALENT', attributedAt: at })
      : createEvent(JobReferralCreated, {
          jobReferralId: randomUUID(),
          jobId: randomUUID(),
          connectorId,
          talentId: referredId,
          createdAt: at,
        })) as EventEnvelope,
  );
}

/** Sets a governance parameter in force (as an executed proposal would). */
export async function setParameter(h: DisputesHarness, key: string, value: string): Promise<void> {
  await inTransaction(h.dataSource, (tx) => tx.query(`UPDATE governance_parameters SET value = $2 WHERE key = $1`, [key, value]));
}

/** The outbox rows of governance of one type, in commit order. */
export async function outboxOf(h: DisputesHarness, type: string): Promise<any[]> {
  return (await h.sql(`SELECT envelope FROM outbox WHERE type = $1 ORDER BY seq`, [type])).map((r) => r.envelope.payload);
}
