import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ContractStarted, ReferralQualified } from '@talent/events';
import { assertSystem, EventPublisher, inUseCaseTransaction, parseCommand, ROOT_LOGGER, type UseCase, type UseCaseContext } from '@talent/platform';
import { FraudCheck } from '../fraud/fraud-check';
import { lockReferralGraph } from '../fraud/referral-graph.lock';
import { ReferralInvalidator } from '../fraud/referral-invalidator';
import { jobReferralOrderVerdict } from '../fraud/rules';
import { JobReferralRecord, jobReferralRef } from '../job-referrals/job-referral.entity';
import { updateReferral } from '../shared/referral-store';
import type { ReferralRef } from '../shared/referral.types';
import { SignupReferralRecord, signupReferralRef } from '../signup-referrals/signup-referral.entity';
import { QualificationRecord } from './qualification.entity';

const QualifyContractCommand = ContractStarted.schema;
type Contract = z.infer<typeof QualifyContractCommand>;

/** A pending referral behind a hire, and when it was made. */
interface Candidate {
  referral: ReferralRef;
  createdAt: Date;
}

/**
 * Use case (the system's, on ContractStarted): a hire qualifies the referrals behind it, through the fraud rules.
 * - Talent side: the job referral of this talent to this job, then the talent's own (TALENT)
 *   signup referral. They are judged in that order; once one qualifies, the other is refused
 *   as ALREADY_REWARDED, so one connector is paid per contract for the talent side.
 *   The job referral counts only if it was made before the talent applied (`appliedAt`);
 *   otherwise it is refused as REFERRED_AFTER_APPLICATION and the signup referral is judged as
 *   usual. referTalentToJob refuses such referrals up front when it has already seen the
 *   application; this check is the authoritative one (that projection can lag).
 * - Client side, on the client's first hire only: the client's (CLIENT) signup referral.
 * Only pending (SIGNED_UP) referrals are considered. A contract is settled once: a redelivered
 * or re-published ContractStarted changes nothing.
 */
@Injectable()
export class QualifyContract implements UseCase<z.input<typeof QualifyContractCommand>, void> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly fraud: FraudCheck,
    private readonly invalidator: ReferralInvalidator,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'qualification' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof QualifyContractCommand>): Promise<void> {
    assertSystem(ctx, 'QualifyContract');
    const contract = parseCommand(QualifyContractCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, (tx) => this.settle(tx, contract, ctx.traceparent));
  }

  private async settle(tx: EntityManager, contract: Contract, traceparent?: string): Promise<void> {
    const settled: unknown[] = await tx.query(
      `INSERT INTO contracts (contract_id, job_id, client_id, talent_id, client_first_hire, started_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (contract_id) DO NOTHING RETURNING contract_id`,
      [contract.contractId, contract.jobId, contract.clientId, contract.talentId, contract.clientFirstHire, contract.startedAt],
    );
    if (settled.length === 0) {
      this.log.info({ contractId: contract.contractId }, 'contract already settled; ignored');
      return;
    }
    await lockReferralGraph(tx);
    const candidates = [...(await this.talentSide(tx, contract)), ...(contract.clientFirstHire ? await this.clientSide(tx, contract) : [])];
    const appliedAt = new Date(contract.appliedAt);
    for (const { referral, createdAt } of candidates) {
      const reason =
        (referral.type === 'JOB' ? jobReferralOrderVerdict(createdAt, appliedAt) : null) ??
        (await this.fraud.onQualification(tx, referral, new Date(contract.startedAt)));
      if (reason) await this.invalidator.invalidate(tx, referral, reason, traceparent);
      else await this.qualify(tx, referral, contract, traceparent);
    }
  }

  private async talentSide(tx: EntityManager, contract: Contract): Promise<Candidate[]> {
    const jobReferral = await tx.getRepository(JobReferralRecord).findOneBy({ jobId: contract.jobId, talentId: contract.talentId, status: 'SIGNED_UP' });
    const signup = await tx.getRepository(SignupReferralRecord).findOneBy({ referredUserId: contract.talentId, kind: 'TALENT', status: 'SIGNED_UP' });
    return [
      ...(jobReferral ? [{ referral: jobReferralRef(jobReferral), createdAt: jobReferral.createdAt }] : []),
      ...(signup ? [{ referral: signupReferralRef(signup), createdAt: signup.createdAt }] : []),
    ];
  }

  private async clientSide(tx: EntityManager, contract: Contract): Promise<Candidate[]> {
    const signup = await tx.getRepository(SignupReferralRecord).findOneBy({ referredUserId: contract.clientId, kind: 'CLIENT', status: 'SIGNED_UP' });
    return signup ? [{ referral: signupReferralRef(signup), createdAt: signup.createdAt }] : [];
  }

  private async qualify(tx: EntityManager, referral: ReferralRef, contract: Contract, traceparent?: string): Promise<void> {
    const now = new Date();
    await tx.getRepository(QualificationRecord).insert({
      referralId: referral.id,
      referralType: referral.type,
      kind: referral.kind,
      connectorId: referral.connectorId,
      referredUserId: referral.referredUserId,
      contractId: contract.contractId,
      contractValue: contract.estimatedValue.amount,
      currency: contract.estimatedValue.currency,
      contractStartedAt: new Date(contract.startedAt),
      qualifiedAt: now,
    });
    await updateReferral(tx, referral, { status: 'QUALIFIED' });
    await this.events.publish(
      tx,
      ReferralQualified,
      {
        referralId: referral.id,
        referralType: referral.type,
        kind: referral.kind,
        connectorId: referral.connectorId,
        referredUserId: referral.referredUserId,
        contractId: contract.contractId,
        contractValue: contract.estimatedValue,
        qualifiedAt: now.toISOString(),
      },
      { traceparent },
    );
    this.log.info({ referralId: referral.id, referralType: referral.type, contractId: contract.contractId }, 'referral qualified');
  }
}
